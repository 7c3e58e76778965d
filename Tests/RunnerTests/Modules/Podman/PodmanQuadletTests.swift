import Engine
import Foundation
import Modules
import Testing

@Suite struct PodmanQuadletTests {
  typealias Fixtures = QuadletFixtures

  static let module = PodmanQuadlet(
    name: "dci-api@", Fixtures.dciAPI.resource, unit: Fixtures.dciAPI.unit,
    service: Fixtures.dciAPI.service, install: Fixtures.dciAPI.install)
  static let path: HostPath = "/etc/containers/systemd/dci-api@.container"

  static func plan(_ module: PodmanQuadlet = module, on host: FakeHost, checkMode: Bool = false)
    async throws -> Plan
  {
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: checkMode,
      reader: HostReader(connection: host))
    let plan = try await module.plan(in: context)
    #expect(host.mutations.isEmpty)
    return plan
  }

  /// A host holding the unit file with `mode`, answering `stat` as the real one does.
  static func host(holding text: String, mode: FileMode) -> FakeHost {
    let host = FakeHost()
    host.put(Self.path, text, mode: mode)
    let raw = String(0o100000 | UInt32(mode.bits), radix: 16)
    host.respond(to: ["stat", "-L"], stdout: "\(raw)|0|0|root|root\n")
    return host
  }

  @Test func `a new unit file is written with mode 0640 and a diff headed by its path`()
    async throws
  {
    let plan = try await Self.plan(on: FakeHost())
    let change = try #require(plan.changes.first)
    #expect(change.summary == "create /etc/containers/systemd/dci-api@.container")
    #expect(change.diff?.beforeHeader == nil)
    #expect(change.diff?.afterHeader == Self.path.rawValue)
    #expect(change.diff?.after == Fixtures.dciAPIText)
    #expect(
      change.actions == [
        .write(FileWrite(Data(Fixtures.dciAPIText.utf8), to: Self.path, mode: 0o640))
      ])
    #expect(plan.values["service"] == .string("dci-api@.service"))
  }

  @Test func `the same content is ok, with no write and no daemon-reload`() async throws {
    let host = FakeHost()
    host.put(Self.path, Fixtures.dciAPIText)
    let plan = try await Self.plan(on: host)
    #expect(plan.isEmpty)
    #expect(plan.note == "/etc/containers/systemd/dci-api@.container is up to date")
    #expect(host.commands.isEmpty)
  }

  @Test func `a file that differs only in comments is ok`() async throws {
    let host = FakeHost()
    let commented = Fixtures.dciAPIText.replacingOccurrences(
      of: "# Written by runner; edits here are overwritten on the next run.",
      with: "# managed by ansible\n# another note")
    host.put(Self.path, commented)
    #expect(try await Self.plan(on: host).isEmpty)
  }

  @Test func `any other difference rewrites the file, with a before and after diff`() async throws {
    let host = FakeHost()
    let old = Fixtures.dciAPIText.replacingOccurrences(of: "--workers 4", with: "--workers 2")
    host.put(Self.path, old)
    let plan = try await Self.plan(on: host, checkMode: true)
    let change = try #require(plan.changes.first)
    #expect(change.summary == "update /etc/containers/systemd/dci-api@.container")
    #expect(change.diff?.before == old && change.diff?.beforeHeader == Self.path.rawValue)
    // No mode asked for: the file keeps the mode it has (the writer's rule for a nil mode).
    #expect(change.actions == [.write(FileWrite(Data(Fixtures.dciAPIText.utf8), to: Self.path))])
  }

  @Test func `without a mode an unchanged file keeps its mode, unread`() async throws {
    let host = Self.host(holding: Fixtures.dciAPIText, mode: 0o600)
    #expect(try await Self.plan(on: host).isEmpty)
    #expect(host.commands.isEmpty)
  }

  @Test func `a mode given is enforced on an unchanged file, with Ansible's dict diff`()
    async throws
  {
    var module = Self.module
    module.mode = 0o644
    let host = Self.host(holding: Fixtures.dciAPIText, mode: 0o600)
    let plan = try await Self.plan(module, on: host)
    let change = try #require(plan.changes.first)
    #expect(plan.changes.count == 1)
    #expect(change.summary == "set mode 0644 on \(Self.path)")
    #expect(change.actions == [.run(Command(["chmod", "--", "0644", Self.path.rawValue]))])
    let path = JSONValue.string(Self.path.rawValue)
    #expect(
      change.diff
        == .attributes(
          before: ["path": path, "mode": "0600"], after: ["path": path, "mode": "0644"]))
  }

  @Test func `a mode given that the file has already is ok`() async throws {
    var module = Self.module
    module.mode = 0o644
    #expect(
      try await Self.plan(module, on: Self.host(holding: Fixtures.dciAPIText, mode: 0o644))
        .isEmpty)
  }

  @Test func `the directory and mode can be chosen`() async throws {
    let module = PodmanQuadlet(
      name: "web", Fixtures.network.resource, directory: "/home/u/.config/containers/systemd",
      mode: 0o600)
    #expect(module.path == "/home/u/.config/containers/systemd/web.network")
    let plan = try await Self.plan(module, on: FakeHost())
    guard case .write(let write) = plan.changes.first?.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(write.mode == 0o600)
  }

  @Test func `the file is declared for prefetching, and its status when a mode is enforced`() {
    #expect(Self.module.reads(for: InventoryHost(name: "h1")) == [.file(Self.path)])
    var module = Self.module
    module.mode = 0o644
    #expect(
      module.reads(for: InventoryHost(name: "h1")) == [
        .file(Self.path), .fact(FileStatus(of: Self.path, followingLinks: true)),
      ])
  }

  @Test func `a unit that cannot be rendered fails the plan with every problem`() async throws {
    let module = PodmanQuadlet(
      name: "x",
      .container(
        QuadletContainer(image: "a b") {
          $0.exec = [""]
        }))
    let error = await #expect(throws: ModuleError.self) {
      try await Self.plan(module, on: FakeHost())
    }
    #expect(error?.message.contains("[Container] Image") == true)
    #expect(error?.message.contains("[Container] Exec") == true)
    #expect(module.validate().count == 2)
  }
}

@Suite struct PodmanQuadletArgumentTests {
  static func decode(_ json: String) throws -> PodmanQuadlet {
    try JSONDecoder().decode(PodmanQuadlet.self, from: Data(json.utf8))
  }

  @Test func `the JSON shape decodes to the same unit as the Swift one`() throws {
    let module = try Self.decode(
      #"""
      {
        "name": "dci-api@",
        "container": {
          "image": "dci-api.image",
          "container_name": "dci-api-%i",
          "network": "quadlet.network",
          "environment_file": "/etc/dci-api/dci-api.env",
          "exec": ["gunicorn", "--workers", "4", "--bind", "0.0.0.0:5000", "dci.app:create_app()"],
          "health_cmd": "curl --head http://localhost:5000/api/v1/",
          "health_interval": "30s",
          "run_init": true,
          "label": {"app": "dci-api"}
        },
        "unit": {"description": "DCI API instance %i", "after": "network-online.target"},
        "service": {"restart": "always", "timeout_start_sec": "300"},
        "install": {"wanted_by": ["multi-user.target"], "default_instance": "0"},
        "mode": "0644"
      }
      """#)
    #expect(module.definition == QuadletFixtures.dciAPI)
    #expect(module.path == "/etc/containers/systemd/dci-api@.container")
    #expect(module.mode == 0o644)
    #expect(try Self.decode(#"{"name": "web", "volume": {}}"#).mode == nil)
  }

  @Test func `exec with live specifiers and the exec form of a health check decode`() throws {
    let module = try Self.decode(
      #"""
      {"name": "s@", "container": {"image": "x", "exec": {"arguments": ["sleep", "%i"], "expand_specifiers": true},
       "health_cmd": ["curl", "-f", "http://localhost/"], "extra": ["Notify=healthy"]}}
      """#)
    guard case .container(let container) = module.definition.resource else {
      Issue.record("expected a container")
      return
    }
    #expect(container.exec == QuadletCommand(["sleep", "%i"], expandsSpecifiers: true))
    #expect(container.healthCmd == .exec(["curl", "-f", "http://localhost/"]))
    #expect(container.extra == [QuadletEntry("Notify", "healthy")])
  }

  @Test(arguments: [
    (
      #"{"name": "web", "container": {"image": "x", "imagee": "y"}}"#,
      "$.container.imagee: unknown key 'imagee'; did you mean 'image'?"
    ),
    (#"{"name": "web", "container": {}}"#, "$.container.image: missing required variable"),
    (#"{"name": "web", "container": {"image": "x"}, "network": {}}"#, "give exactly one of"),
    (#"{"name": "web"}"#, "give exactly one of"),
    (
      #"{"name": "web.container", "container": {"image": "x"}}"#,
      "without its '.container' extension"
    ),
    (#"{"name": "a/b", "container": {"image": "x"}}"#, "is not a unit name"),
    (#"{"name": "web", "container": {"image": "x"}, "mode": 644}"#, "$.mode"),
    (#"{"name": "web", "container": {"image": "x"}, "mode": "rw"}"#, "expected an octal mode"),
    (
      #"{"name": "web", "container": {"image": "x"}, "directory": "etc"}"#,
      "expected an absolute path"
    ),
    (
      #"{"name": "web", "container": {"image": "x", "extra": ["Memory=1g"]}}"#,
      "$.container: [Container] Memory: unknown key"
    ),
    (
      #"{"name": "web", "container": {"image": "x", "extra": ["Notify"]}}"#,
      "expected a 'Key=value' line"
    ),
    (#"{"name": "web", "container": {"image": "x", "exec": "gunicorn -w 4"}}"#, "$.container.exec"),
    (
      #"{"name": "web", "volume": {}, "install": {"wanted_by": "x", "also": "y"}}"#,
      "$.install.also: unknown key"
    ),
    (
      #"{"name": "web", "network": {"subnet": "10.0.0.0/24"}, "unit": {"description": "a\nb"}}"#,
      "$.unit: [Unit] Description: contains a newline"
    ),
  ])
  func `bad arguments are reported with their JSON path`(json: String, expected: String) {
    let error = #expect(throws: ArgumentProblems.self) { try Self.decode(json) }
    #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
  }
}
