import Engine
import Foundation
import Modules
import Testing

@Suite struct PodmanSecretTests {
  static let pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\nAQAB\n-----END PUBLIC KEY-----\n"
  static let inspect = [
    "podman", "secret", "inspect", "--showsecret", "--format", "{{.SecretData}}", "--", "key",
  ]

  /// Plans against a fake host whose secret `key` holds `current` (nil: no such secret).
  static func plan(_ module: PodmanSecret, current: String?) async throws -> Plan {
    let host = FakeHost(readOnlyPrefixes: [["podman", "secret", "inspect"]])
    if let current {
      host.respond(to: Self.inspect, stdout: current + "\n")
    } else {
      host.respond(
        to: Self.inspect, exitCode: 125,
        stderr: "Error: inspecting secret: no secret with name or id \"key\": no such secret\n")
    }
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: false, reader: HostReader(connection: host))
    let plan = try await module.plan(in: context)
    #expect(host.mutations.isEmpty)
    #expect(host.commands == [Self.inspect])
    #expect(module.reads(for: InventoryHost(name: "h1")) == [.fact(PodmanSecretData(name: "key"))])
    return plan
  }

  static func commands(_ plan: Plan) -> [Command] {
    plan.changes.flatMap(\.actions).compactMap { action in
      if case .run(let command, _) = action { return command }
      return nil
    }
  }

  @Test func `a missing secret is created from standard input, never an argument`() async throws {
    let plan = try await Self.plan(PodmanSecret(name: "key", data: Self.pem), current: nil)
    let commands = Self.commands(plan)
    #expect(
      commands.map(\.arguments) == [["podman", "secret", "create", "--replace", "--", "key", "-"]])
    #expect(commands.first?.input == Data(Self.pem.utf8))
    #expect(plan.changes.map(\.summary) == ["create secret key"])
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.isHidden && !diff.before.contains("MIIB") && !diff.after.contains("MIIB"))
  }

  @Test func `the same data byte for byte is ok, other data replaces it`() async throws {
    #expect(
      try await Self.plan(PodmanSecret(name: "key", data: Self.pem), current: Self.pem).isEmpty)
    // The newline after the data is podman's template output, not part of the secret.
    let trimmed = String(Self.pem.dropLast())
    let plan = try await Self.plan(PodmanSecret(name: "key", data: Self.pem), current: trimmed)
    #expect(plan.changes.map(\.summary) == ["replace secret key"])
  }

  @Test func `absent removes a secret that exists and plans nothing otherwise`() async throws {
    let remove = try await Self.plan(PodmanSecret(name: "key", state: .absent), current: "x")
    #expect(Self.commands(remove).map(\.arguments) == [["podman", "secret", "rm", "--", "key"]])
    #expect(try await Self.plan(PodmanSecret(name: "key", state: .absent), current: nil).isEmpty)
  }

  @Test func `another podman failure is an error, not a missing secret`() async throws {
    let host = FakeHost(readOnlyPrefixes: [["podman"]])
    host.respond(to: Self.inspect, exitCode: 125, stderr: "Error: database is locked\n")
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: false, reader: HostReader(connection: host))
    await #expect(throws: CommandFailed.self) {
      try await PodmanSecret(name: "key", data: "x").plan(in: context)
    }
  }

  @Test func `JSON arguments decode strictly and podman's limits are checked up front`() throws {
    let module = try JSONDecoder().decode(
      PodmanSecret.self, from: Data(#"{"name": "api-key", "data": "s3cr3t"}"#.utf8))
    #expect(module.name == "api-key" && module.data == "s3cr3t" && module.state == .present)
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(
        PodmanSecret.self, from: Data(#"{"name": "-x", "dat": "s3cr3t"}"#.utf8))
    }
    let text = error?.description ?? ""
    #expect(text.contains("did you mean 'data'"), "\(text)")
    #expect(text.contains("missing required variable"), "\(text)")
    #expect(text.contains("'-x' is not a secret name"), "\(text)")
    #expect(!text.contains("s3cr3t"))
    #expect(
      PodmanSecret(name: "k", data: "").validate() == [
        "data: a secret's data must be 1 to 511999 bytes (podman's limit), found 0"
      ])
    #expect(PodmanSecret(name: "k", state: .absent).validate().isEmpty)
  }
}
