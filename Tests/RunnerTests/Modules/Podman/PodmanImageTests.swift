import Engine
import Foundation
import Modules
import Testing

@Suite struct PodmanImageTests {
  /// Plans on a fake host where `podman image exists` exits with `exists`.
  static func plan(_ module: PodmanImage, exists: Int32, checkMode: Bool = false) async throws
    -> Plan
  {
    let host = FakeHost(readOnlyPrefixes: [["podman", "image", "exists"]])
    host.respond(to: ["podman", "image", "exists"], exitCode: exists)
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: checkMode,
      reader: HostReader(connection: host))
    let plan = try await module.plan(in: context)
    #expect(host.mutations.isEmpty)
    #expect(host.commands == [["podman", "image", "exists", "--", module.reference]])
    return plan
  }

  static func commands(_ plan: Plan) -> [[String]] {
    plan.changes.flatMap(\.actions).compactMap { action in
      if case .run(let command, _) = action { return command.arguments }
      return nil
    }
  }

  @Test(arguments: [
    ("present image: ok, no pull", PodmanImage(name: "quay.io/org/app"), Int32(0), [[String]]()),
    (
      "missing image: pulled", PodmanImage(name: "quay.io/org/app"), 1,
      [["podman", "image", "pull", "--", "quay.io/org/app:latest"]]
    ),
    (
      "force: pulled although present", PodmanImage(name: "quay.io/org/app", force: true), 0,
      [["podman", "image", "pull", "--", "quay.io/org/app:latest"]]
    ),
    (
      "tag argument", PodmanImage(name: "quay.io/org/app", tag: "1.2"), 1,
      [["podman", "image", "pull", "--", "quay.io/org/app:1.2"]]
    ),
    (
      "tag inside the name, registry with a port", PodmanImage(name: "localhost:5000/app:v2"), 1,
      [["podman", "image", "pull", "--", "localhost:5000/app:v2"]]
    ),
    (
      "registry port but no tag gets latest", PodmanImage(name: "localhost:5000/app"), 1,
      [["podman", "image", "pull", "--", "localhost:5000/app:latest"]]
    ),
    ("pull disabled but present: ok", PodmanImage(name: "app", pull: false), 0, []),
    (
      "absent on a present image: removed", PodmanImage(name: "app", state: .absent), 0,
      [["podman", "image", "rm", "--", "app:latest"]]
    ),
    ("absent on a missing image: ok", PodmanImage(name: "app", state: .absent), 1, []),
  ])
  func `pulls only when needed`(
    _ description: String, module: PodmanImage, exists: Int32, expected: [[String]]
  ) async throws {
    let plan = try await Self.plan(module, exists: exists)
    #expect(Self.commands(plan) == expected, "\(description)")
  }

  @Test func `a missing image with pull disabled fails with Ansible's message`() async throws {
    let error = await #expect(throws: ModuleError.self) {
      try await Self.plan(PodmanImage(name: "quay.io/org/app", pull: false), exists: 1)
    }
    #expect(error?.message == "Image quay.io/org/app:latest not found locally and pull is disabled")
  }

  @Test func `in check mode a missing image is a predicted pull`() async throws {
    let plan = try await Self.plan(PodmanImage(name: "app"), exists: 1, checkMode: true)
    #expect(plan.changes.map(\.summary) == ["pull app:latest"])
  }

  @Test func `an unexpected exit status of podman image exists is an error`() async throws {
    await #expect(throws: CommandFailed.self) {
      try await Self.plan(PodmanImage(name: "app"), exists: 125)
    }
  }

  @Test func `JSON arguments decode strictly`() throws {
    let module = try JSONDecoder().decode(
      PodmanImage.self, from: Data(#"{"name": "quay.io/org/app", "tag": "2", "force": true}"#.utf8))
    #expect(module.reference == "quay.io/org/app:2" && module.force && module.pull)
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(
        PodmanImage.self, from: Data(#"{"name": "app:1", "tag": "2", "pul": false}"#.utf8))
    }
    #expect(error?.description.contains("did you mean 'pull'") == true)
    #expect(error?.description.contains("already carries a tag") == true)
  }

  @Test func `an unknown state is named with the states allowed and the closest one`() {
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(
        PodmanImage.self, from: Data(#"{"name": "app", "state": "presnt"}"#.utf8))
    }
    #expect(
      error?.description
        == "$.state: unknown state 'presnt', expected one of present, absent; did you mean 'present'?"
    )
  }
}
