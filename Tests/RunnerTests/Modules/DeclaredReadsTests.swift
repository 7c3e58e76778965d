import Engine
import Foundation
import Modules
import Testing

/// Every standard module's plan reads only what it declared for prefetching: planned on a
/// simulated host that records its reads (`DeclaredReads`), in the cases that read the most
/// (files present and absent, links, units, instances, secrets, images).
@Suite struct DeclaredReadsTests {
  struct Sample: CustomTestStringConvertible, Sendable {
    var module: ModuleName
    var arguments: JSONValue
    /// Files on the host before the plan, so that its later reads (mode, owner) happen too.
    var files: [HostPath] = []
    /// Units systemd knows, with their active state.
    var units: [String: String] = [:]
    var testDescription: String { "\(module) \(arguments.compactJSON)" }
  }

  static let samples: [Sample] = [
    Sample(module: "template", arguments: ["dest": "/etc/app/app.conf", "content": "x"]),
    Sample(
      module: "template",
      arguments: ["dest": "/etc/app/app.conf", "content": "x", "mode": "0600", "owner": "root"],
      files: ["/etc/app/app.conf"]),
    Sample(module: "copy", arguments: ["dest": "/etc/app/motd", "content": "x"]),
    Sample(
      module: "copy",
      arguments: ["dest": "/etc/app/motd", "content": "x", "mode": "0600", "backup": true],
      files: ["/etc/app/motd"]),
    Sample(module: "file", arguments: ["path": "/srv/x", "state": "directory", "mode": "0755"]),
    Sample(
      module: "file", arguments: ["path": "/srv/l", "state": "link", "src": "/srv/t"],
      files: ["/srv/t"]),
    Sample(module: "file", arguments: ["path": "/srv/f", "state": "touch"], files: ["/srv/f"]),
    Sample(module: "file", arguments: ["path": "/srv/f", "state": "absent"], files: ["/srv/f"]),
    Sample(module: "command", arguments: ["argv": ["true"], "creates": "/srv/done"]),
    Sample(
      module: "command", arguments: ["argv": ["true"], "removes": "/srv/f"], files: ["/srv/f"]),
    Sample(
      module: "systemd",
      arguments: ["name": "haproxy.service", "state": "started", "daemon_reload": true]),
    Sample(
      module: "systemd", arguments: ["names": ["a.service", "b.service"], "state": "stopped"],
      units: ["a.service": "active", "b.service": "inactive"]),
    Sample(
      module: "systemd_instances", arguments: ["template": "web@", "keep": 1],
      units: ["web@0.service": "active", "web@1.service": "active"]),
    Sample(module: "podman_image", arguments: ["name": "localhost/app:latest"]),
    Sample(
      module: "podman_quadlet",
      arguments: ["name": "web", "container": ["image": "localhost/app:latest"], "mode": "0644"],
      files: ["/etc/containers/systemd/web.container"]),
    Sample(module: "podman_secret", arguments: ["name": "key", "data": "value"]),
    Sample(
      module: "podman_quadlet_instances",
      arguments: ["template": "dci-api@.container", "count": 2],
      files: ["/etc/containers/systemd/dci-api@.container"]),
    Sample(
      module: "rolling_restart", arguments: ["units": ["web@0.service", "web@1.service"]],
      units: ["web@0.service": "active", "web@1.service": "active"]),
    Sample(
      module: "haproxy_reload", arguments: ["unit": "haproxy.service"],
      units: ["haproxy.service": "active"]),
    Sample(module: "debug", arguments: ["msg": "hello"]),
    Sample(module: "fail", arguments: ["msg": "stop"]),
    Sample(module: "assert", arguments: ["that": ["1 == 1"]]),
    Sample(module: "set_fact", arguments: ["x": 1]),
  ]

  @Test(arguments: samples) func `the plan reads only what the module declared`(sample: Sample)
    async throws
  {
    let registry = try ModuleRegistry(StandardModules.all)
    let type = try #require(registry.type(named: sample.module.rawValue), "\(sample.module)")
    let module = try sample.arguments.decode(type)
    let host = FakeHost()
    let system = SimulatedSystem(
      on: host, directories: ["/etc/app", "/srv", "/etc/containers/systemd"])
    for path in sample.files { host.put(path, "old\n", mode: 0o600) }
    for (unit, state) in sample.units { system.setUnit(unit, state) }
    let report = try await DeclaredReads.check(module, on: host)
    #expect(report.undeclared == [], "\(sample.module)")
    let readsNothing: Set<ModuleName> = ["debug", "fail", "assert", "set_fact"]
    #expect(
      (report.reads == 0) == readsNothing.contains(sample.module),
      "\(sample.module) read \(report.reads) times")
  }

  @Test func `every standard module has a sample`() {
    let sampled = Set(Self.samples.map(\.module))
    for type in StandardModules.all {
      #expect(sampled.contains(type.name), "no sample plans \(type.name)")
    }
  }

  /// The check itself can fail: a module that reads a file it never declared is caught.
  @Test func `a read the module did not declare is reported`() async throws {
    struct Drifting: PlaybookModule, PrefetchingModule {
      static let name: ModuleName = "drifting"
      func reads(for host: InventoryHost) -> [HostRead] { [.file("/etc/declared")] }
      func plan(in context: PlanContext) async throws -> Plan {
        _ = try await context.contents(of: "/etc/declared")
        _ = try await context.contents(of: "/etc/undeclared")
        return Plan([], note: "read")
      }
    }
    let report = try await DeclaredReads.check(Drifting(), on: FakeHost())
    #expect(report.undeclared == ["read /etc/undeclared"])
    #expect(report.reads == 2)
  }
}
