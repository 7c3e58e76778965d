import Engine
import Foundation
import Testing

/// A change whose handler never ran (the run stopped, the host failed later) still gets its
/// handler on the next run: the record on the host says what is owed.
@Suite struct PendingHandlerRecordTests {
  /// The record of play `site` of `test.json` on inventory host `h1`; the hash is pinned: a
  /// later run must find the record under the same name.
  static let record: HostPath = "/var/lib/runner/pending-handlers/test.site.h1.066f919a.json"

  static func playbook(failing: Bool, hosts: String = "all") -> String {
    let boom = failing ? #", {"name": "boom", "fail": {}}"# : ""
    return
      #"[{"name": "site", "hosts": "\#(hosts)", "tasks": [{"name": "write", "put": {"path": "/etc/app.conf", "content": "v2"}, "notify": "Restart app"}\#(boom)], "handlers": [{"name": "Restart app", "run": {"argv": ["systemctl", "restart", "app"]}}]}]"#
  }

  static func warnings(_ sink: RecordingSink) -> [String] {
    sink.all.compactMap { event in
      if case .warning(let text) = event { return text }
      return nil
    }
  }

  @Test func `a handler lost to a failure runs on the next run, then is forgotten`() async throws {
    let run = TestRun()
    let first = try await run.run(Self.playbook(failing: true))
    #expect(first.exitCode == 2)
    #expect(run.sink.handlersRun.isEmpty)
    #expect(run.host("h1").text(Self.record) == #"["Restart app"]"# + "\n")
    #expect(run.host("h1").file(Self.record)?.mode == 0o600)

    let second = TestRun(reusing: run.hosts)
    let recap = try await second.run(Self.playbook(failing: false))
    #expect(recap.stats["h1"]?.changed == 1)  // the handler; the file was already written
    #expect(second.sink.handlersRun == ["Restart app"])
    #expect(Self.warnings(second.sink).contains { $0.contains("Restart app") })
    #expect(run.host("h1").text(Self.record) == nil)

    let third = TestRun(reusing: run.hosts)
    let quiet = try await third.run(Self.playbook(failing: false))
    #expect(quiet.stats["h1"]?.changed == 0)
    #expect(third.sink.handlersRun.isEmpty)
  }

  /// A handler with `check_mode: true` in a real run only simulated the restart it owed: the
  /// record must keep it (judged by the step's own check mode, not the run's).
  @Test func `a handler that only simulated stays owed`() async throws {
    let run = TestRun()
    let simulated =
      #"[{"name": "site", "hosts": "all", "tasks": [{"name": "write", "put": {"path": "/etc/app.conf", "content": "v2"}, "notify": "Restart app"}], "handlers": [{"name": "Restart app", "check_mode": true, "run": {"argv": ["systemctl", "restart", "app"]}}]}]"#
    try await run.run(simulated)
    #expect(run.sink.handlersRun == ["Restart app"])
    #expect(!run.host("h1").commands.contains(["systemctl", "restart", "app"]))
    #expect(run.host("h1").text(Self.record) == #"["Restart app"]"# + "\n")

    let second = TestRun(reusing: run.hosts)
    try await second.run(Self.playbook(failing: false))
    #expect(second.sink.handlersRun == ["Restart app"])
    #expect(run.host("h1").commands.contains(["systemctl", "restart", "app"]))
    #expect(run.host("h1").text(Self.record) == nil)
  }

  @Test func `the record is written before the change it covers`() async throws {
    let run = TestRun()
    try await run.run(Self.playbook(failing: false))
    let writes = run.host("h1").mutations.compactMap { mutation -> String? in
      if case .wrote(let path) = mutation { return path }
      return nil
    }
    #expect(writes == [Self.record.rawValue, "/etc/app.conf"])
  }

  @Test func `check mode neither writes nor clears the record`() async throws {
    var run = TestRun()
    run.host("h1").put(Self.record, #"["Restart app"]"#, mode: 0o600)
    run.host("h1").put("/etc/app.conf", "v2")
    run.options.checkMode = true
    try await run.run(Self.playbook(failing: false))
    #expect(run.sink.handlersRun == ["Restart app"])
    #expect(run.host("h1").mutations.isEmpty)
  }

  // MARK: A change that, judged, does not notify

  /// A command that changes (so its handler is recorded before it runs), then is judged:
  /// `changed_when` false, or a failure whose errors are ignored. Neither notifies.
  @Test(arguments: [
    #""run": {"argv": ["true"]}, "changed_when": false"#,
    #""run": {"argv": ["false"]}, "ignore_errors": true"#,
  ])
  func `a recorded handler the judged step did not notify is forgotten`(task: String)
    async throws
  {
    let playbook =
      #"[{"name": "site", "hosts": "all", "tasks": [{"name": "cmd", \#(task), "notify": "H"}], "handlers": [{"name": "H", "run": {"argv": ["echo", "H"]}}]}]"#
    let first = TestRun()
    try await first.run(playbook)
    #expect(first.sink.handlersRun.isEmpty)
    #expect(first.host("h1").text(Self.record) == nil)

    let second = TestRun(reusing: first.hosts)
    try await second.run(playbook)
    #expect(second.sink.handlersRun.isEmpty)
    #expect(Self.warnings(second.sink).isEmpty)
    #expect(!first.host("h1").commands.contains(["echo", "H"]))
  }

  /// The same handler notified by an earlier step stays owed: the host fails before it ran.
  @Test func `a handler another step notified stays recorded`() async throws {
    let playbook =
      #"[{"name": "site", "hosts": "all", "tasks": [{"name": "write", "put": {"path": "/etc/app.conf", "content": "v2"}, "notify": "H"}, {"name": "cmd", "run": {"argv": ["true"]}, "changed_when": false, "notify": "H"}, {"name": "boom", "fail": {}}], "handlers": [{"name": "H", "run": {"argv": ["echo", "H"]}}]}]"#
    let run = TestRun()
    try await run.run(playbook)
    #expect(run.host("h1").text(Self.record) == #"["H"]"# + "\n")
  }

  // MARK: The record's key

  /// Two inventory hosts on one machine: the one that failed owes the handler, not the other.
  @Test func `inventory hosts on one machine each have their own record`() async throws {
    let machine = TestRun().host("h1")
    let sink = RecordingSink()
    let runner = PlaybookRunner(
      options: RunOptions(), roles: try RoleRegistry([]),
      connections: FakeConnections(hosts: ["h1": machine, "h2": machine]), clock: InstantClock())
    let inventory = Inventory(hosts: [InventoryHost(name: "h1"), InventoryHost(name: "h2")])
    let loader = TestRun()
    for (text, reporting) in [
      (Self.playbook(failing: true, hosts: "h1"), RecordingSink()),
      (Self.playbook(failing: false), sink),
    ] {
      let prepared = try runner.prepare(try loader.load(text), inventory: inventory)
      _ = await runner.run(prepared.plays, reportingTo: reporting)
    }
    #expect(sink.results(of: "Restart app").keys.sorted() == ["h1"])
    #expect(machine.text(Self.record) == nil)
  }

  @Test func `a same-named play of another playbook does not take the record`() async throws {
    let run = TestRun()
    try await run.run(Self.playbook(failing: true))
    let other = TestRun(reusing: run.hosts)
    try await other.run(Self.playbook(failing: false), file: "/srv/other.json")
    #expect(other.sink.handlersRun.isEmpty)
    #expect(run.host("h1").text(Self.record) == #"["Restart app"]"# + "\n")
    // The same playbook found again from another directory still owes it.
    let again = TestRun(reusing: run.hosts)
    try await again.run(Self.playbook(failing: false), file: "/elsewhere/test.json")
    #expect(again.sink.handlersRun == ["Restart app"])
  }

  @Test func `the record's name is safe and bounded`() async throws {
    let name = String(repeating: "Ünïcode play/../", count: 20)
    let run = TestRun()
    try await run.run(
      #"[{"name": "\#(name)", "hosts": "all", "tasks": [{"name": "write", "put": {"path": "/etc/app.conf", "content": "v2"}, "notify": "H"}, {"name": "boom", "fail": {}}], "handlers": [{"name": "H", "ok": {}}]}]"#
    )
    let written = run.host("h1").mutations.compactMap { mutation -> String? in
      if case .wrote(let path) = mutation, path.hasPrefix("/var/lib/runner/") { return path }
      return nil
    }
    #expect(written.count == 1)
    let file = written.first?.split(separator: "/").last ?? ""
    let parts = file.split(separator: ".").map(String.init)
    let shownName = String(String(repeating: "-n-code-play----", count: 3).prefix(40))
    #expect(parts.count == 5, "\(file)")
    #expect(Array(parts.prefix(3)) == ["test", shownName, "h1"])
    #expect(parts.dropFirst(3).first?.count == 8)
    #expect(parts.last == "json")
  }

  // MARK: A record that cannot be read or written

  @Test func `an unparsable record is reported and every handler of the play runs`()
    async throws
  {
    let run = TestRun()
    run.host("h1").put(Self.record, "{not json", mode: 0o600)
    run.host("h1").put("/etc/app.conf", "v2")
    try await run.run(
      #"[{"name": "site", "hosts": "all", "tasks": [{"name": "write", "put": {"path": "/etc/app.conf", "content": "v2"}, "notify": "A"}], "handlers": [{"name": "A", "run": {"argv": ["echo", "A"]}}, {"name": "B", "run": {"argv": ["echo", "B"]}}]}]"#
    )
    #expect(run.sink.handlersRun == ["A", "B"])
    #expect(
      Self.warnings(run.sink).contains(
        "h1: the pending-handler record \(Self.record) cannot be read (it is not a JSON list of "
          + "handler names); every handler of the play is taken as owed"),
      "\(Self.warnings(run.sink))")
    #expect(run.host("h1").text(Self.record) == nil)  // rewritten once they ran
  }

  @Test func `a record that cannot be written is reported once, and the change still runs`()
    async throws
  {
    let run = TestRun()
    run.host("h1").respond(
      to: ["mkdir", "-p", "--", "/var/lib/runner/pending-handlers"], exitCode: 1,
      stderr: "mkdir: cannot create directory: Permission denied")
    let recap = try await run.run(
      #"[{"name": "site", "hosts": "all", "tasks": [{"name": "a", "put": {"path": "/a", "content": "1"}, "notify": "A"}, {"name": "b", "put": {"path": "/b", "content": "1"}, "notify": "B"}], "handlers": [{"name": "A", "ok": {}}, {"name": "B", "ok": {}}]}]"#
    )
    let failures = Self.warnings(run.sink).filter { $0.contains("cannot be written") }
    #expect(
      failures == [
        "h1: the pending-handler record \(Self.record) cannot be written: command 'mkdir -p -- "
          + "/var/lib/runner/pending-handlers' exited with status 1: mkdir: cannot create "
          + "directory: Permission denied"
      ])
    #expect(run.host("h1").text("/a") == "1" && run.host("h1").text("/b") == "1")
    #expect(run.sink.handlersRun == ["A", "B"])
    #expect(recap.exitCode == 0)
  }
}
