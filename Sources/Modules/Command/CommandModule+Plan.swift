public import Engine

extension CommandModule {
  public func plan(in context: PlanContext) async throws -> Plan {
    if let creates, try await context.gather(FileStatus(of: creates, followingLinks: true)) != nil {
      return skipped(because: "skipped, since \(creates) exists")
    }
    if let removes, try await context.gather(FileStatus(of: removes, followingLinks: true)) == nil {
      return skipped(because: "skipped, since \(removes) does not exist")
    }
    let change = Change("run \(command)", actions: [.run(command)])
    // With creates/removes the outcome is known (Ansible reports "changed" in check mode).
    let predictable = creates != nil || removes != nil
    return Plan(
      [change], values: ["cmd": argvFact],
      unpredictableReason: predictable ? nil : "Command would have run if not in check mode")
  }

  /// `rc`, `stdout`, `stderr` (trailing newlines stripped, as Ansible does), their `_lines`,
  /// and `cmd`, from the one command it ran.
  public func resultValues(from outputs: [CommandOutput]) -> [String: JSONValue] {
    guard let output = outputs.last else { return ["cmd": argvFact] }
    let stdout = OutputText.chomp(output.stdout)
    let stderr = OutputText.chomp(output.stderr)
    return [
      "cmd": argvFact, "rc": .int(Int(output.exitCode)), "stdout": .string(stdout),
      "stderr": .string(stderr), "stdout_lines": lines(stdout), "stderr_lines": lines(stderr),
    ]
  }

  private var argvFact: JSONValue { .array(arguments.map(JSONValue.string)) }

  private func skipped(because message: String) -> Plan {
    .unchanged(
      message,
      values: [
        "cmd": argvFact, "rc": 0, "stdout": .string(message), "stderr": "",
        "stdout_lines": [.string(message)], "stderr_lines": [],
      ])
  }

  private func lines(_ text: String) -> JSONValue {
    if text.isEmpty { return [] }
    return .array(
      text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })
  }
}
