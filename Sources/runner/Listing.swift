import Engine

/// `--list-hosts`, `--list-tasks` and `--list-tags`, in ansible-playbook's layout: the steps
/// listed are the ones `--tags`/`--skip-tags` select, each with its tags (its own, its
/// blocks', role's and play's), and `TASK TAGS` the union of those.
enum Listing {
  static func render(
    _ plays: [PlaybookRunner.PreparedPlay], playbook: String, hosts: Bool, tasks: Bool,
    tags: Bool = false
  ) -> String {
    var lines = ["", "playbook: \(playbook)"]
    for (index, prepared) in plays.enumerated() {
      let play = prepared.play
      lines.append("")
      lines.append(
        "  play #\(index + 1) (\(play.hosts)): \(play.name ?? "")\tTAGS: [\(play.tags.sorted().joined(separator: ","))]"
      )
      if hosts {
        lines.append("    pattern: ['\(play.hosts)']")
        lines.append("    hosts (\(prepared.hosts.count)):")
        lines += prepared.hosts.map { "      \($0.name)" }
      }
      guard tasks || tags else { continue }
      if tasks { lines.append("    tasks:") }
      var seen: Set<String> = []
      var allTags = play.tags
      for host in prepared.hosts {
        guard let program = prepared.programs[host.name] else { continue }
        for step in flatten(program.preSteps + program.mainSteps + program.postSteps)
        where seen.insert(step.displayName).inserted {
          allTags.formUnion(step.tags)
          if tasks { lines.append("      \(step.displayName)\tTAGS: [\(list(step.tags))]") }
        }
      }
      if tags { lines.append("      TASK TAGS: [\(list(allTags))]") }
    }
    return lines.joined(separator: "\n")
  }

  private static func list(_ tags: Set<String>) -> String {
    tags.sorted().joined(separator: ", ")
  }

  /// The steps ansible-playbook lists (`_process_block`): a block's own steps, not its
  /// `rescue` or `always`; an include itself, not what it includes (known only when it runs).
  private static func flatten(_ steps: [Step]) -> [Step] {
    steps.flatMap { step -> [Step] in
      if case .block(let block) = step.body { return flatten(block.steps) }
      return [step]
    }
  }
}
