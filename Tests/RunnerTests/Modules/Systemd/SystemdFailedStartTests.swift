import Engine
import Foundation
import Modules
import Testing

/// A start that fails says why: the change carries each unit's state and last journal lines,
/// and the engine adds them to the failure.
@Suite struct SystemdFailedStartTests {
  static let journalScript =
    "journalctl --no-pager --lines=120 \"$@\" | grep -v -F ': Killing process ' | tail -n 12"

  /// The failure's journal excerpt for the units selected by `selection`.
  static func journal(of selection: [String]) -> [String] {
    ["sh", "-c", journalScript, "sh"] + selection
  }

  /// The excerpt's pipeline run by this machine's `sh`, `grep` and `tail`, with a
  /// `journalctl` that prints what a crash-looping container's unit logged.
  @Test func `the journal excerpt keeps the program's last words, not systemd's kill lines`()
    throws
  {
    let directory = try TemporaryDirectory()
    let logged =
      [
        "dci-api-0[12611]: usage: gunicorn [OPTIONS] [APP_MODULE]",
        "dci-api-0[12611]: gunicorn: error: unrecognized arguments: --no-such-flag",
        "systemd[1]: dci-api@0.service: Main process exited, code=exited, status=2",
      ]
      + (0..<8).map {
        "systemd[1]: dci-api@0.service: Killing process 109\($0) (podman) with signal SIGKILL."
      }
      + [
        "systemd[1]: dci-api@0.service: Failed with result 'exit-code'.",
        "systemd[1]: Failed to start dci-api@0.service - DCI API instance 0.",
      ]
    let fake = try directory.writeExecutable(
      "journalctl",
      "#!/bin/sh\necho \"$*\" >\"$0.args\"\ncat <<'EOF'\n" + logged.joined(separator: "\n")
        + "\nEOF\n")
    let output = try Spawn.run(
      "/usr/bin/env",
      ["PATH=\(directory.url.path):/usr/bin:/bin"] + Self.journal(of: ["--unit=dci-api@0.service"]))
    let lines = output.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(lines.contains(logged[1]))
    #expect(!output.stdout.contains("Killing process"))
    #expect(
      try String(contentsOfFile: fake.path + ".args", encoding: .utf8)
        == "--no-pager --lines=120 --unit=dci-api@0.service\n")
  }

  @Test func `a failed start reports the units' state and their last journal lines`() async throws {
    let units = ["dci-api@0.service", "dci-api@1.service"]
    let host = FakeHost(readOnlyPrefixes: [["systemctl", "show"], Self.journal(of: [])])
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
      to: Self.journal(of: ["--unit=dci-api@1.service"]),
      stdout: "dci-api-1[42]: gunicorn: error: unrecognized arguments: --no-such-flag\n")
    host.respond(to: Self.journal(of: ["--unit=dci-api@0.service"]))
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
