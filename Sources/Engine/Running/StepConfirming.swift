/// `--step`: asked before each task and handler (not before `meta` steps, as in
/// ansible-playbook) whether to run it. The CLI asks on the terminal; a test answers from a
/// list. The answer "continue" is the implementer's to remember.
public protocol StepConfirming: Sendable {
  /// Whether `step` runs; a step not run leaves no result on any host.
  func shouldRun(_ step: StepInfo) async -> Bool
}
