import Engine

/// `--list-hosts` and `--list-tasks`, in ansible-playbook's layout.
enum Listing {
  static func render(
    _ plays: [PlaybookRunner.PreparedPlay], playbook: String, hosts: Bool, tasks: Bool
  ) -> String {
    var lines = ["", "playbook: \(playbook)"]
    for (index, prepared) in plays.enumerated() {
      let play = prepared.play
      lines.append("")
      lines.append("  play #\(index + 1) (\(play.hosts)): \(play.name ?? "")\tTAGS: []")
      if hosts {
        lines.append("    pattern: ['\(play.hosts)']")
        lines.append("    hosts (\(prepared.hosts.count)):")
        lines += prepared.hosts.map { "      \($0.name)" }
      }
      if tasks {
        lines.append("    tasks:")
        var seen: Set<String> = []
        for host in prepared.hosts {
          guard let program = prepared.programs[host.name] else { continue }
          for step in flatten(program.preSteps + program.mainSteps + program.postSteps)
          where seen.insert(step.displayName).inserted {
            lines.append("      \(step.displayName)\tTAGS: []")
          }
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func flatten(_ steps: [Step]) -> [Step] {
    steps.flatMap { step -> [Step] in
      if case .block = step.body { return flatten(step.nestedSteps) }
      return [step] + flatten(step.nestedSteps)
    }
  }
}
