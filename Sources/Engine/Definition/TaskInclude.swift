/// `include_tasks`: the steps of a task file, run on the hosts whose `when` holds and
/// announced as `included: FILE for h1, h2`. The include's keywords are its own: unlike a
/// block's or `import_tasks`'s, they do not pass to the included steps (Ansible).
public struct TaskInclude: Sendable {
  /// The file's absolute path, as the announcement shows it.
  public var file: String
  public var steps: [Step]

  public init(file: String, steps: [Step]) {
    self.file = file
    self.steps = steps
  }
}
