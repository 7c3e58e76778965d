public import Engine

/// The mode, owner and group a module wants on a path, compared with what is there and turned
/// into `chown`/`chgrp`/`chmod` commands. Shared by `file` (attributes are its whole job) and
/// `ManagedFile` (which fixes attribute drift even when the content matches, as Ansible does).
public struct FileAttributes: Sendable, Hashable {
  public var mode: ModeSpec?
  public var owner: String?
  public var group: String?

  public init(mode: ModeSpec? = nil, owner: String? = nil, group: String? = nil) {
    self.mode = mode
    self.owner = owner
    self.group = group
  }

  public var isEmpty: Bool { mode == nil && owner == nil && group == nil }

  /// The mode a path ends up with. A symbolic mode is applied to the current mode, or for a
  /// path that does not exist yet to the usual default (0644 for a file, 0755 for a
  /// directory, i.e. umask 022), so the prediction is stable from run to run.
  public func resultingMode(current: FileMode?, isDirectory: Bool) -> FileMode? {
    mode?.resolve(current: current ?? (isDirectory ? 0o755 : 0o644), isDirectory: isDirectory)
  }

  /// Each attribute that differs, in the order Ansible's diff lists them.
  public func differences(from existing: ExistingFile?, isDirectory: Bool) -> [Difference] {
    var differences: [Difference] = []
    if let owner, !Self.matches(owner, name: existing?.owner, id: existing?.userID) {
      differences.append(Difference(attribute: .owner, before: existing?.owner, after: owner))
    }
    if let group, !Self.matches(group, name: existing?.group, id: existing?.groupID) {
      differences.append(Difference(attribute: .group, before: existing?.group, after: group))
    }
    if let wanted = resultingMode(current: existing?.mode, isDirectory: isDirectory),
      wanted != existing?.mode
    {
      differences.append(
        Difference(attribute: .mode, before: existing?.mode.description, after: wanted.description))
    }
    return differences
  }

  /// The commands that apply `differences` to `path` (ownership first: `chown` may clear
  /// set-id bits that `chmod` then sets).
  public func commands(
    applying differences: [Difference], to path: HostPath, recursive: Bool = false
  ) -> [Command] {
    let flags = recursive ? ["-R"] : []
    var commands: [Command] = []
    for difference in differences {
      switch difference.attribute {
      case .owner:
        commands.append(Command(["chown"] + flags + ["--", difference.after, path.rawValue]))
      case .group:
        commands.append(Command(["chgrp"] + flags + ["--", difference.after, path.rawValue]))
      case .mode:
        let mode = recursive ? (self.mode?.chmodArgument ?? difference.after) : difference.after
        commands.append(Command(["chmod"] + flags + ["--", mode, path.rawValue]))
      }
    }
    return commands
  }

  /// The change for attributes that drifted on a path whose content is right: `commands`,
  /// shown as Ansible's `file` module shows it, a dict diff of `path` and each attribute.
  public func change(applying differences: [Difference], to path: HostPath) -> Change {
    var before: [String: JSONValue] = ["path": .string(path.rawValue)]
    var after = before
    for difference in differences {
      if let value = difference.before { before[difference.key] = .string(value) }
      after[difference.key] = .string(difference.after)
    }
    return Change(
      "set " + differences.map { "\($0.key) \($0.after)" }.joined(separator: ", ") + " on \(path)",
      diff: .attributes(before: before, after: after),
      actions: commands(applying: differences, to: path).map { .run($0) })
  }

  /// The attributes, named as Ansible's diff and results name them.
  public enum Attribute: String, Sendable, Hashable {
    case owner, group, mode
  }

  /// One attribute before and after, for the dict diff and the summary.
  public struct Difference: Sendable, Hashable {
    public var attribute: Attribute
    public var before: String?
    public var after: String

    /// The attribute's name as a diff key.
    public var key: String { attribute.rawValue }
  }

  private static func matches(_ wanted: String, name: String?, id: Int?) -> Bool {
    wanted == name || (id.map { wanted == String($0) } ?? false)
  }
}

extension ModeSpec {
  /// The spec as `chmod` should get it: octal as is; a symbolic clause without a "who" gets
  /// `a` so that `chmod` does not filter it through the umask (we read "+x" as "a+x").
  var chmodArgument: String {
    guard FileMode(octal: text) == nil else { return text }
    return text.split(separator: ",", omittingEmptySubsequences: false).map { clause in
      clause.first.map { "=+-".contains($0) } == true ? "a" + clause : String(clause)
    }.joined(separator: ",")
  }
}
