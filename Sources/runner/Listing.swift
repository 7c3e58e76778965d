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
      // ansible-playbook prints the task list as one message, which ends in its own newline
      lines.append("")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func list(_ tags: Set<String>) -> String {
    tags.sorted().joined(separator: ", ")
  }

  private static func flatten(_ steps: [Step]) -> [Step] {
    steps.flatMap { step -> [Step] in
      if case .block = step.body { return flatten(step.nestedSteps) }
      return [step] + flatten(step.nestedSteps)
    }
  }
}
