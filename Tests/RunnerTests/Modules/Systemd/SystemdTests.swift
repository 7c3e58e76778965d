import Engine
import Foundation
import Modules
import Testing

@Suite struct SystemdTests {
  typealias Fixtures = SystemdShowFixtures

  /// Plans `module` on a fake host whose `systemctl show` prints `show`; returns the plan and
  /// the host (whose `mutations` must stay empty: planning only reads).
  static func plan(_ module: Systemd, show: String, checkMode: Bool = false) async throws -> (
    Plan, FakeHost
  ) {
    let host = FakeHost(readOnlyPrefixes: [
      ["systemctl", "show"], ["systemctl", "--user", "show"],
    ])
    host.respond(to: ["systemctl", "show"], stdout: show)
    host.respond(to: ["systemctl", "--user", "show"], stdout: show)
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: checkMode,
      reader: HostReader(connection: host))
    let plan = try await module.plan(in: context)
    #expect(host.mutations.isEmpty)
    return (plan, host)
  }

  static func commands(_ plan: Plan) -> [[String]] {
    plan.changes.flatMap(\.actions).compactMap { action in
      if case .run(let command, _) = action { return command.arguments }
      return nil
    }
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var testDescription: String
    var module: Systemd
    var show: [String]
    var expected: [[String]]
  }

  static let cases: [Case] = [
    Case(
      testDescription: "started on an active unit does nothing",
      module: Systemd(name: "ssh.service", state: .started), show: [Fixtures.sshActiveEnabled],
      expected: []),
    Case(
      testDescription: "started on an inactive unit starts it",
      module: Systemd(name: "haproxy.service", state: .started),
      show: [Fixtures.haproxyInactiveDisabled],
      expected: [["systemctl", "start", "--", "haproxy.service"]]),
    Case(
      testDescription: "started on a failed unit resets its failure, then starts it",
      module: Systemd(name: "broken.service", state: .started), show: [Fixtures.failedEnabled],
      expected: [
        ["systemctl", "reset-failed", "--", "broken.service"],
        ["systemctl", "start", "--", "broken.service"],
      ]),
    Case(
      testDescription:
        "started on a crash-looping unit is no 'ok': stopped, so its automatic restart of the "
        + "old definition cannot be the start it waits for, reset, then started",
      module: Systemd(name: "dci-api@0.service", state: .started),
      show: [Fixtures.crashLooping],
      expected: [
        ["systemctl", "stop", "--", "dci-api@0.service"],
        ["systemctl", "reset-failed", "--", "dci-api@0.service"],
        ["systemctl", "start", "--", "dci-api@0.service"],
      ]),
    Case(
      testDescription: "started on a unit stopping after a crash: stopped, reset, started",
      module: Systemd(name: "dci-api@0.service", state: .started),
      show: [Fixtures.stoppingAfterCrash],
      expected: [
        ["systemctl", "stop", "--", "dci-api@0.service"],
        ["systemctl", "reset-failed", "--", "dci-api@0.service"],
        ["systemctl", "start", "--", "dci-api@0.service"],
      ]),
    Case(
      testDescription: "stopped on an active unit stops it",
      module: Systemd(name: "ssh.service", state: .stopped), show: [Fixtures.sshActiveEnabled],
      expected: [["systemctl", "stop", "--", "ssh.service"]]),
    Case(
      testDescription: "stopped on an inactive unit does nothing",
      module: Systemd(name: "haproxy.service", state: .stopped),
      show: [Fixtures.haproxyInactiveDisabled], expected: []),
    Case(
      testDescription: "restarted on an active unit restarts it, every run",
      module: Systemd(name: "ssh.service", state: .restarted), show: [Fixtures.sshActiveEnabled],
      expected: [["systemctl", "restart", "--", "ssh.service"]]),
    Case(
      testDescription: "restarted on an inactive unit starts it",
      module: Systemd(name: "haproxy.service", state: .restarted),
      show: [Fixtures.haproxyInactiveDisabled],
      expected: [["systemctl", "start", "--", "haproxy.service"]]),
    Case(
      testDescription: "reloaded on an active unit reloads it",
      module: Systemd(name: "ssh.service", state: .reloaded), show: [Fixtures.sshActiveEnabled],
      expected: [["systemctl", "reload", "--", "ssh.service"]]),
    Case(
      testDescription: "many instances: one show, one start for the inactive ones only",
      module: Systemd(
        names: ["fx@0.service", "fx@1.service", "getty@tty1.service"], state: .started),
      show: [
        Fixtures.quadletInstanceRunning, Fixtures.quadletInstanceInactive, Fixtures.gettyInstance,
      ],
      expected: [["systemctl", "start", "--", "fx@1.service", "getty@tty1.service"]]),
    Case(
      testDescription: "restarting many: start the stopped ones, restart the running ones",
      module: Systemd(names: ["fx@0.service", "fx@1.service"], state: .restarted),
      show: [Fixtures.quadletInstanceRunning, Fixtures.quadletInstanceInactive],
      expected: [
        ["systemctl", "start", "--", "fx@1.service"],
        ["systemctl", "restart", "--", "fx@0.service"],
      ]),
    Case(
      testDescription: "enabled on an enabled unit does nothing",
      module: Systemd(name: "ssh.service", enabled: true), show: [Fixtures.sshActiveEnabled],
      expected: []),
    Case(
      testDescription: "enabled on a static unit does nothing",
      module: Systemd(name: "systemd-journald.service", enabled: true),
      show: [Fixtures.journaldStatic], expected: []),
    Case(
      testDescription: "enabled on a disabled unit enables it",
      module: Systemd(name: "haproxy.service", enabled: true),
      show: [Fixtures.haproxyInactiveDisabled],
      expected: [["systemctl", "enable", "--", "haproxy.service"]]),
    Case(
      testDescription: "disabled on an enabled unit disables it",
      module: Systemd(name: "ssh.service", enabled: false), show: [Fixtures.sshActiveEnabled],
      expected: [["systemctl", "disable", "--", "ssh.service"]]),
    Case(
      testDescription: "masked on a loaded unit masks it",
      module: Systemd(name: "haproxy.service", masked: true),
      show: [Fixtures.haproxyInactiveDisabled],
      expected: [["systemctl", "mask", "--", "haproxy.service"]]),
    Case(
      testDescription: "masked works on a unit systemd does not know",
      module: Systemd(name: "nosuch.service", masked: true), show: [Fixtures.notFound],
      expected: [["systemctl", "mask", "--", "nosuch.service"]]),
    Case(
      testDescription: "unmask, enable and start run in Ansible's order",
      module: Systemd(name: "cups.service", state: .started, enabled: true, masked: false),
      show: [Fixtures.masked],
      expected: [
        ["systemctl", "unmask", "--", "cups.service"],
        ["systemctl", "enable", "--", "cups.service"],
        ["systemctl", "start", "--", "cups.service"],
      ]),
    Case(
      testDescription: "daemon_reload with a stale unit reloads before restarting",
      module: Systemd(name: "fx@0.service", state: .restarted, daemonReload: true),
      show: [Fixtures.quadletInstanceStale],
      expected: [["systemctl", "daemon-reload"], ["systemctl", "restart", "--", "fx@0.service"]]),
    Case(
      testDescription: "daemon_reload with a unit not generated yet reloads, then starts it",
      module: Systemd(name: "fx@0.service", state: .started, daemonReload: true),
      show: [Fixtures.quadletInstanceBeforeReload],
      expected: [["systemctl", "daemon-reload"], ["systemctl", "start", "--", "fx@0.service"]]),
    Case(
      // systemd loads a stopped, unloaded unit fresh from its stale generated file and says
      // NeedDaemonReload=no: only a reload first makes the start use the new Quadlet file.
      testDescription: "daemon_reload before starting a stopped Quadlet unit that looks current",
      module: Systemd(name: "fx@1.service", state: .started, daemonReload: true),
      show: [Fixtures.quadletInstanceInactive],
      expected: [["systemctl", "daemon-reload"], ["systemctl", "start", "--", "fx@1.service"]]),
    Case(
      testDescription: "daemon_reload before restarting a unit that looks current",
      module: Systemd(name: "fx@0.service", state: .restarted, daemonReload: true),
      show: [Fixtures.quadletInstanceRunning],
      expected: [["systemctl", "daemon-reload"], ["systemctl", "restart", "--", "fx@0.service"]]),
    Case(
      testDescription: "daemon_reload when nothing is stale does nothing",
      module: Systemd(name: "fx@0.service", state: .started, daemonReload: true),
      show: [Fixtures.quadletInstanceRunning], expected: []),
    Case(
      testDescription: "scope user and no_block reach every state command",
      module: Systemd(name: "haproxy.service", state: .started, scope: .user, noBlock: true),
      show: [Fixtures.haproxyInactiveDisabled],
      expected: [["systemctl", "--user", "--no-block", "start", "--", "haproxy.service"]]),
  ]

  @Test(arguments: cases)
  func `plans the systemctl commands Ansible's rules call for`(_ testCase: Case) async throws {
    let show = testCase.show.joined(separator: "\n\n") + "\n"
    let (plan, _) = try await Self.plan(testCase.module, show: show)
    #expect(Self.commands(plan) == testCase.expected)
  }

  @Test func `an empty plan says why, naming each unit's state`() async throws {
    let (plan, _) = try await Self.plan(
      Systemd(names: ["ssh.service", "systemd-journald.service"], state: .started, enabled: true),
      show: Fixtures.output(Fixtures.sshActiveEnabled, Fixtures.journaldStatic))
    #expect(plan.isEmpty)
    #expect(
      plan.note == "ssh.service is active, enabled; systemd-journald.service is active, static")
    #expect(plan.values["state"] == .string("started"))
  }

  @Test func `daemon-reload is reported as a change of its own, before the start`() async throws {
    let (plan, _) = try await Self.plan(
      Systemd(names: ["fx@0.service", "fx@1.service"], state: .started, daemonReload: true),
      show: Fixtures.output(Fixtures.quadletInstanceStale, Fixtures.quadletInstanceInactive))
    #expect(
      plan.changes.map(\.summary) == [
        "daemon-reload (needed by fx@0.service)", "start fx@1.service",
      ])
    #expect(plan.changes.map(\.reportsChanged) == [true, true])
  }

  @Test func `a daemon-reload made only because other changes follow is not a change itself`()
    async throws
  {
    let (plan, _) = try await Self.plan(
      Systemd(name: "fx@1.service", state: .started, daemonReload: true),
      show: Fixtures.quadletInstanceInactive)
    #expect(
      plan.changes.map(\.summary) == [
        "daemon-reload (before start fx@1.service)", "start fx@1.service",
      ])
    #expect(plan.changes.map(\.reportsChanged) == [false, true])
  }

  @Test func `daemon_reload alone, with no unit to check, always reloads`() async throws {
    let host = FakeHost()
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: false, reader: HostReader(connection: host))
    let plan = try await Systemd(daemonReload: true).plan(in: context)
    #expect(Self.commands(plan) == [["systemctl", "daemon-reload"]])
    #expect(plan.changes.allSatisfy { !$0.reportsChanged })
    #expect(host.commands.isEmpty)
  }

  @Test func `a unit systemd does not know fails the step with Ansible's message`() async throws {
    let error = await #expect(throws: ModuleError.self) {
      try await Self.plan(Systemd(name: "nosuch.service", state: .started), show: Fixtures.notFound)
    }
    #expect(error?.message == "Could not find the requested service nosuch.service: host")
    #expect(error?.hint?.contains("daemon_reload") == true)
  }

  @Test func `enabled on a missing unit fails too`() async throws {
    await #expect(throws: ModuleError.self) {
      try await Self.plan(Systemd(name: "nosuch.service", enabled: true), show: Fixtures.notFound)
    }
  }

  @Test func `in check mode a missing unit is a predicted change, not a failure`() async throws {
    let (plan, host) = try await Self.plan(
      Systemd(name: "fx@0.service", state: .started, enabled: nil),
      show: Fixtures.quadletInstanceBeforeReload, checkMode: true)
    #expect(Self.commands(plan) == [["systemctl", "start", "--", "fx@0.service"]])
    #expect(plan.note?.contains("assumed created by an earlier step") == true)
    #expect(host.commands == [SystemdUnitStates(units: ["fx@0.service"]).command.arguments])
  }

  @Test func `enabling a Quadlet-generated unit is an error pointing at its Install section`()
    async throws
  {
    let error = await #expect(throws: ModuleError.self) {
      try await Self.plan(
        Systemd(name: "fx@0.service", state: .started, enabled: true),
        show: Fixtures.quadletInstanceRunning)
    }
    #expect(error?.message.contains("generated from /etc/containers/systemd/fx@.container") == true)
    #expect(error?.message.contains("[Install] section (WantedBy=)") == true)
  }

  @Test func `enabling a masked unit without unmasking it is an error`() async throws {
    await #expect(throws: ModuleError.self) {
      try await Self.plan(Systemd(name: "cups.service", enabled: true), show: Fixtures.masked)
    }
  }

  @Test func `register facts carry the state of each unit`() async throws {
    let (plan, _) = try await Self.plan(
      Systemd(name: "ssh.service", state: .restarted), show: Fixtures.sshActiveEnabled)
    #expect(plan.values["name"] == .string("ssh.service"))
    #expect(plan.values["state"] == .string("started"))
    #expect(plan.values["status"]?.objectValue?["ActiveState"] == .string("active"))
  }

  @Test func `the show command is declared for prefetching`() {
    let module = Systemd(names: ["a.service", "b.service"], state: .started)
    #expect(
      module.reads(for: InventoryHost(name: "h1"))
        == [.fact(SystemdUnitStates(units: ["a.service", "b.service"]))])
  }
}

@Suite struct SystemdArgumentTests {
  static func decode(_ json: String) throws -> Systemd {
    try JSONDecoder().decode(Systemd.self, from: Data(json.utf8))
  }

  @Test func `JSON arguments decode with Ansible's names`() throws {
    let module = try Self.decode(
      #"{"names": ["dci-api@0.service", "dci-api@1.service"], "state": "started", "daemon_reload": true, "no_block": true, "scope": "user"}"#
    )
    #expect(module.units == ["dci-api@0.service", "dci-api@1.service"])
    #expect(module.state == .started && module.daemonReload && module.noBlock)
    #expect(module.scope == .user)
  }

  @Test func `name and names combine without duplicates`() {
    #expect(
      Systemd(name: "a.service", names: ["b.service", "a.service"], state: .started).units == [
        "a.service", "b.service",
      ])
  }

  @Test(arguments: [
    (#"{"name": "x", "state": "started", "daemon_reloda": true}"#, "did you mean 'daemon_reload'"),
    (#"{"name": "x", "state": "running"}"#, "$.state"),
    (#"{"name": "x"}"#, "one of 'state', 'enabled', 'masked' or 'daemon_reload' is required"),
    (#"{"state": "started"}"#, "need a unit in 'name' or 'names'"),
    (
      #"{"name": "web@.service", "state": "started"}"#,
      "is a template; name an instance such as 'web@0.service'"
    ),
    (#"{"name": "web*", "state": "started"}"#, "globs are not supported"),
    (#"{"names": "a.service", "state": "started"}"#, "$.names"),
  ])
  func `bad arguments are reported with their path`(json: String, expected: String) {
    let error = #expect(throws: ArgumentProblems.self) { try Self.decode(json) }
    #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
  }

  @Test(arguments: [
    (
      #"{"name": "x", "state": "start"}"#,
      "$.state: unknown state 'start', expected one of started, stopped, restarted, reloaded; did you mean 'started'?"
    ),
    (
      #"{"name": "x", "state": "started", "scope": "usr"}"#,
      "$.scope: unknown scope 'usr', expected one of system, user; did you mean 'user'?"
    ),
  ])
  func `an unknown state or scope is one problem, naming the values allowed`(
    json: String, expected: String
  ) {
    let error = #expect(throws: ArgumentProblems.self) { try Self.decode(json) }
    #expect(error?.description == expected)
  }
}

/// A bare `daemon_reload` through the engine: it runs every normal run, never in check mode,
/// and is never a change (Ansible #77606), so a re-run stays `changed=0` (spec §8, §11).
@Suite struct SystemdDaemonReloadRunTests {
  static let playbook = #"""
    [{"hosts": "all",
      "tasks": [{"name": "reload", "systemd": {"daemon_reload": true}, "notify": "H"}],
      "handlers": [{"name": "H", "command": {"argv": ["echo", "H"]}}]}]
    """#

  static func run(_ run: TestRun) async throws -> PlayRecap {
    let playbook = try PlaybookLoader(modules: try ModuleRegistry(StandardModules.all))
      .load(Data(Self.playbook.utf8), file: "test.json")
    return try await run.run(playbook)
  }

  @Test func `reloads on every run, ok both times, notifying nothing`() async throws {
    let first = TestRun()
    let host = first.host("h1")
    let recaps = [try await Self.run(first), try await Self.run(TestRun(reusing: [host]))]
    #expect(recaps.map { $0.stats["h1"]?.changed } == [0, 0])
    #expect(recaps.map { $0.stats["h1"]?.ok } == [1, 1])
    #expect(host.commands.filter { $0 == ["systemctl", "daemon-reload"] }.count == 2)
    // Not owed either: a later run must not run H as "left pending".
    #expect(!host.commands.contains(["echo", "H"]))
  }

  @Test func `check mode does not reload and reports ok`() async throws {
    var run = TestRun()
    run.options.checkMode = true
    let recap = try await Self.run(run)
    #expect(recap.stats["h1"]?.changed == 0)
    #expect(recap.stats["h1"]?.ok == 1)
    #expect(run.host("h1").mutations.isEmpty)
  }
}
