import Engine
import Foundation
import Modules
import Testing

/// A start that fails says why: the change carries each unit's state and last journal lines,
/// and the engine adds them to the failure.
@Suite struct SystemdFailedStartTests {
  @Test func `a failed start reports the units' state and their last journal lines`() async throws {
    let units = ["dci-api@0.service", "dci-api@1.service"]
    let host = FakeHost(readOnlyPrefixes: [["systemctl", "show"], ["journalctl"]])
    let stopped = units.map {
      "Id=\($0)\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nUnitFileState=generated\n"
        + "NeedDaemonReload=no\nFragmentPath=/run/systemd/generator/dci-api@.service\n"
        + "SourcePath=/etc/containers/systemd/dci-api@.container\n"
    }.joined(separator: "\n")
    host.respond(
      to: [
        "systemctl", "show",
        "--property=Id,LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload,FragmentPath,"
          + "SourcePath",
      ], stdout: stopped)
    host.respond(to: ["systemctl", "daemon-reload"])
    host.respond(
      to: ["systemctl", "start"], exitCode: 1,
      stderr: "Job for dci-api@1.service failed because the control process exited with error code."
    )
    host.respond(
      to: ["systemctl", "show", "--property=Id,ActiveState,SubState,Result,ExecMainStatus"],
      stdout:
        "Id=dci-api@1.service\nActiveState=activating\nSubState=auto-restart\nResult=exit-code\n")
    host.respond(
      to: ["journalctl", "--no-pager", "--lines=12", "--unit=dci-api@1.service"],
      stdout: "dci-api-1[42]: gunicorn: error: unrecognized arguments: --no-such-flag\n")
    host.respond(to: ["journalctl", "--no-pager", "--lines=12", "--unit=dci-api@0.service"])
    let module = Systemd(names: units, state: .started, daemonReload: true)
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: false, reader: HostReader(connection: host))
    let plan = try await module.plan(in: context)
    let failure = await #expect(throws: CommandFailed.self) {
      try await ActionExecutor(connection: host).apply(plan.changes)
    }
    let text = failure?.description ?? ""
    #expect(text.hasPrefix("command 'systemctl start -- dci-api@0.service dci-api@1.service'"))
    #expect(text.contains("SubState=auto-restart\nResult=exit-code"), "\(text)")
    #expect(text.contains("unrecognized arguments: --no-such-flag"), "\(text)")
  }
}
