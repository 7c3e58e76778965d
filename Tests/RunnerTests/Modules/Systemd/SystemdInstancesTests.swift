import Engine
import Foundation
import Modules
import Testing

/// `systemd_instances` and its `SystemdTemplateInstances` fact on a fake host: which running
/// instances of a template it stops, by name as written.
@Suite struct SystemdInstancesTests {
  /// `systemctl show --property=… -- 'web@*.service'` as systemd 257 prints it: a block per
  /// loaded instance, in no particular order.
  static func listing(_ instances: [(name: String, active: String)]) -> String {
    instances.reversed().map { instance in
      let sub = instance.active == "active" ? "running" : "dead"
      return "Id=web@\(instance.name).service\nLoadState=loaded\nActiveState=\(instance.active)\n"
        + "SubState=\(sub)\nUnitFileState=generated\nNeedDaemonReload=no\n"
    }.joined(separator: "\n")
  }

  static func plan(keep: Int, _ instances: [(name: String, active: String)]) async throws
    -> Plan
  {
    let host = FakeHost(readOnlyPrefixes: [["systemctl", "show"]])
    host.respond(to: ["systemctl", "show"], stdout: listing(instances))
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: false, reader: HostReader(connection: host))
    let plan = try await SystemdInstances(template: "web@", keep: keep).plan(in: context)
    #expect(host.mutations.isEmpty)
    return plan
  }

  @Test func `running instances beyond keep are stopped in one command, in numeric order`()
    async throws
  {
    let plan = try await Self.plan(
      keep: 1,
      [("0", "active"), ("10", "active"), ("2", "activating"), ("3", "inactive"), ("4", "failed")])
    #expect(plan.steps == [["systemctl", "stop", "--", "web@2.service", "web@10.service"]])
    #expect(plan.values["stopped"] == ["web@2.service", "web@10.service"])
  }

  @Test func `a stray @01 is another instance and is stopped by its own name`() async throws {
    let plan = try await Self.plan(keep: 2, [("0", "active"), ("01", "active"), ("1", "active")])
    #expect(plan.steps == [["systemctl", "stop", "--", "web@01.service"]])
  }

  @Test func `nothing beyond keep, or only named instances: unchanged`() async throws {
    #expect(try await Self.plan(keep: 2, [("0", "active"), ("1", "active")]).isEmpty)
    #expect(try await Self.plan(keep: 0, [("blue", "active")]).isEmpty)
    #expect(try await Self.plan(keep: 0, []).isEmpty)
  }

  @Test func `the fact reads instance names and active states`() throws {
    let fact = SystemdTemplateInstances(template: "web@")
    let parsed = try fact.parse(
      CommandOutput(
        exitCode: 0,
        stdout: "Id=web@0.service\nLoadState=not-found\nActiveState=active\n\n"
          + "Id=web@1.service\nLoadState=loaded\nActiveState=inactive\n\n"
          + "Id=webby@2.service\nLoadState=loaded\nActiveState=active\n"))
    #expect(parsed == ["0": "active", "1": "inactive"])
  }
}
