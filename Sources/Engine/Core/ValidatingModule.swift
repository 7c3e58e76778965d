/// A module whose arguments can be wrong in ways their types cannot say (a relative path, a
/// batch of 0, two arguments that exclude each other). It lists each problem once, in
/// `argumentProblems`, blamed on the argument to fix; that one list serves both ways a
/// module value is made:
/// - decoded from a playbook, `ArgumentReader.finish(checking:)` reports the problems at
///   the argument's JSON path, with every other problem of the task;
/// - built in Swift by a role, the engine asks `validate()` once per value, before the run
///   and before `plan`, which may then take its arguments as valid.
///
/// Discovered with `as? any ValidatingModule`.
public protocol ValidatingModule: Module {
  associatedtype ArgumentKey: CodingKey
  var argumentProblems: [KeyedProblem<ArgumentKey>] { get }
}

/// One problem with a module's arguments, blamed on the argument to fix.
public struct KeyedProblem<Key: CodingKey> {
  public var key: Key
  public var message: String

  public init(_ key: Key, _ message: String) {
    self.key = key
    self.message = message
  }
}

extension ValidatingModule {
  /// The problems as a step reports them: `argument: message`.
  public func validate() -> [String] {
    argumentProblems.map { "\($0.key.stringValue): \($0.message)" }
  }
}

extension ArgumentReader {
  /// Records the problems of the module just decoded, then throws every problem found. An
  /// argument already refused (missing, ill-typed, an unknown choice) is not blamed again:
  /// its value is a placeholder.
  public func finish<Checked: ValidatingModule>(checking module: Checked) throws
  where Checked.ArgumentKey == Keys {
    for problem in module.argumentProblems where !hasProblem(problem.key) {
      record(problem.key, problem.message)
    }
    try finish()
  }
}
