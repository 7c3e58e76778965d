import Engine
import Foundation
import Testing

/// A change whose handler never ran (the run stopped, the host failed later) still gets its
/// handler on the next run: the record on the host says what is owed.
@Suite struct PendingHandlerLedgerTests {
  static let record: HostPath = "/var/lib/runner/pending-handlers/site.json"

  static func playbook(failing: Bool) -> String {
    let boom = failing ? #", {"name": "boom", "fail": {}}"# : ""
    return
      #"[{"name": "site", "hosts": "all", "tasks": [{"name": "write", "put": {"path": "/etc/app.conf", "content": "v2"}, "notify": "Restart app"}\#(boom)], "handlers": [{"name": "Restart app", "run": {"argv": ["systemctl", "restart", "app"]}}]}]"#
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
    #expect(
      second.sink.all.contains { event in
        if case .warning(let text) = event { return text.contains("Restart app") }
        return false
      })
    #expect(run.host("h1").text(Self.record) == nil)

    let third = TestRun(reusing: run.hosts)
    let quiet = try await third.run(Self.playbook(failing: false))
    #expect(quiet.stats["h1"]?.changed == 0)
    #expect(third.sink.handlersRun.isEmpty)
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
}
