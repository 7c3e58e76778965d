import Engine
import Modules
import Testing

/// The merged `systemctl show`: named units by position, each once, then the blocks a
/// template's pattern matched, told apart by `Id` (as systemd 257 printed them).
@Suite struct SystemdShowMergerTests {
  static func block(_ id: String, _ active: String, load: String = "loaded") -> String {
    "Id=\(id)\nLoadState=\(load)\nActiveState=\(active)\nSubState=running\nUnitFileState=\n"
      + "NeedDaemonReload=no\nFragmentPath=\nSourcePath=\n"
  }

  @Test func `one show answers unit states and template instances`() throws {
    let haproxy = SystemdUnitStates(units: ["haproxy.service", "nosuch.service"])
    let api = SystemdUnitStates(units: ["dci-api@1.service", "haproxy.service"])
    let instances = SystemdTemplateInstances(template: "dci-api@")
    let facts: [any MergeableFact] = [haproxy, instances, api]
    let merger = SystemdShowMerger(scope: .system)
    #expect(
      merger.command(answering: facts).arguments.suffix(5) == [
        "--", "haproxy.service", "nosuch.service", "dci-api@1.service", "dci-api@*.service",
      ])
    let printed = [
      Self.block("haproxy.service", "active"),
      Self.block("nosuch.service", "inactive", load: "not-found"),
      Self.block("dci-api@1.service", "active"), Self.block("dci-api@2.service", "active"),
      Self.block("dci-api@1.service", "active"), Self.block("dci-api@0.service", "failed"),
    ].joined(separator: "\n")
    let outputs = merger.split(CommandOutput(exitCode: 0, stdout: printed), answering: facts)
    #expect(outputs.count == 3)
    let states = try haproxy.parse(#require(outputs[0]))
    #expect(states.map(\.activeState) == ["active", "inactive"])
    #expect(states.map(\.isFound) == [true, false])
    #expect(
      try instances.parse(#require(outputs[1])) == ["1": "active", "2": "active", "0": "failed"])
    #expect(
      try api.parse(#require(outputs[2])).map(\.id) == ["dci-api@1.service", "haproxy.service"])
  }

  @Test func `fewer blocks than units named answers nothing`() {
    let facts: [any MergeableFact] = [
      SystemdUnitStates(units: ["a.service"]), SystemdUnitStates(units: ["b.service"]),
    ]
    let output = CommandOutput(exitCode: 0, stdout: Self.block("a.service", "active"))
    #expect(SystemdShowMerger(scope: .system).split(output, answering: facts).isEmpty)
  }
}
