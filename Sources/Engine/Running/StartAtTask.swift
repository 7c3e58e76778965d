/// `--start-at-task NAME`: the steps before the first one named `NAME` (or matching it as a
/// glob, by its own name or its `role : name`) do not run. As in ansible-playbook the search
/// goes through blocks and imported files, never into an `include_tasks` (only known when it
/// runs), and once one play has the step the later plays run whole.
public struct StartAtTask: Sendable {
  public let pattern: String
  private let glob: Glob

  public init(_ pattern: String) {
    self.pattern = pattern
    glob = Glob(pattern)
  }

  public func matches(_ step: Step) -> Bool {
    [step.name, step.displayName].contains { $0 == pattern || glob.matches($0) }
  }

  /// `steps` from the first match on, and whether there was one (without one, none is left).
  /// A block holding the match keeps its later steps and its `always`; its `rescue` stays for
  /// a failure of those.
  public func steps(startingIn steps: [Step]) -> (steps: [Step], found: Bool) {
    for (index, step) in steps.enumerated() {
      if case .block(var block) = step.body {
        let inner = self.steps(startingIn: block.steps)
        if inner.found {
          block.steps = inner.steps
          var kept = step
          kept.body = .block(block)
          return ([kept] + steps[(index + 1)...], true)
        }
        let always = self.steps(startingIn: block.always)
        if always.found {
          return (always.steps + steps[(index + 1)...], true)
        }
        continue
      }
      if case .meta = step.body { continue }
      if matches(step) { return (Array(steps[index...]), true) }
    }
    return ([], false)
  }

  /// A host's program from the first match on, through its three sections in order.
  func program(startingIn program: HostProgram) -> (program: HostProgram, found: Bool) {
    var started = program
    let sections: [WritableKeyPath<HostProgram, [Step]>] = [\.preSteps, \.mainSteps, \.postSteps]
    for section in sections {
      let result = steps(startingIn: program[keyPath: section])
      started[keyPath: section] = result.steps
      if result.found { return (started, true) }
    }
    return (started, false)
  }
}
