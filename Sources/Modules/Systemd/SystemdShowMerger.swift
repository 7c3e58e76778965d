public import Engine

extension SystemdUnitStates: MergeableFact {
  public var merger: SystemdShowMerger { SystemdShowMerger(scope: scope) }
}

extension SystemdTemplateInstances: MergeableFact {
  public var merger: SystemdShowMerger { SystemdShowMerger(scope: .system) }
}

/// Every unit state and template instance list of a prefetch, in one systemd scope, as one
/// `systemctl show`. It prints a block per unit named, in the order named (an unknown unit
/// gets a `not-found` block), then one per loaded unit each pattern matches: the named blocks
/// are told apart by position, the matched ones by their `Id`.
public struct SystemdShowMerger: FactMerger {
  public var scope: SystemdScope

  public init(scope: SystemdScope) { self.scope = scope }

  public func command(answering facts: [any MergeableFact]) -> Command {
    let (names, patterns) = Self.arguments(facts)
    return Command(
      scope.systemctl + [
        "show", "--property=" + SystemdUnitStates.properties.joined(separator: ","), "--",
      ] + names + patterns)
  }

  public func split(_ output: CommandOutput, answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    guard output.succeeded else { return [] }
    let (names, _) = Self.arguments(facts)
    let blocks = SystemdUnitStates.blocks(in: output.stdout)
    guard blocks.count >= names.count else { return [] }
    let named = Dictionary(zip(names, blocks), uniquingKeysWith: { first, _ in first })
    let matched = blocks.dropFirst(names.count)
    return facts.map { fact -> CommandOutput? in
      if let states = fact as? SystemdUnitStates {
        return Self.output(states.units.compactMap { named[$0] })
      }
      guard let instances = fact as? SystemdTemplateInstances else { return nil }
      return Self.output(matched.filter { instances.matches($0["Id"] ?? "") })
    }
  }

  /// The unit names asked for, each once, then the template patterns.
  private static func arguments(_ facts: [any MergeableFact]) -> ([String], [String]) {
    var names: [String] = []
    var seen = Set<String>()
    var patterns: [String] = []
    for fact in facts {
      if let states = fact as? SystemdUnitStates {
        names += states.units.filter { seen.insert($0).inserted }
      } else if let instances = fact as? SystemdTemplateInstances {
        patterns.append(instances.pattern)
      }
    }
    return (names, patterns)
  }

  /// Blocks as `systemctl show` prints them: `Key=value` lines, a blank line between blocks.
  private static func output(_ blocks: [[String: String]]) -> CommandOutput {
    let text = blocks.map { block in
      SystemdUnitStates.properties.compactMap { key in block[key].map { "\(key)=\($0)\n" } }
        .joined()
    }.joined(separator: "\n")
    return CommandOutput(exitCode: 0, stdout: text)
  }
}
