import Engine
import Foundation
import Synchronization
import Testing

/// Spec §12 scenarios 33–39: results, conditions on results, retries, loops, blocks.
@Suite struct ResultScenarioTests {
  @Test func `33 changed_when false makes a command ok and silent`() async throws {
    let run = TestRun()
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "c", "run": {"argv": ["true"]}, "changed_when": false, "notify": "H"}], "handlers": [{"name": "H", "ok": {}}]}]"#
    )
    #expect(run.sink.results(of: "c")["h1"]?.status == .ok)
    #expect(run.sink.handlersRun.isEmpty)
    #expect(recap.stats["h1"]?.changed == 0)
  }

  @Test(arguments: [(Int32(1), StepResult.Status.changed), (2, .failed)])
  func `34 failed_when decides from the registered result`(rc: Int32, expected: StepResult.Status)
    async throws
  {
    let run = TestRun()
    run.host("h1").respond(to: ["probe"], exitCode: rc)
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "c", "run": {"argv": ["probe"]}, "register": "result", "failed_when": "result.rc not in [0, 1]"}]}]"#
    )
    #expect(run.sink.results(of: "c")["h1"]?.status == expected)
  }

  @Test func `35 until succeeds on the third attempt and reports three attempts`() async throws {
    let run = TestRun()
    let attempts = Counter()
    run.host("h1").respond { command in
      guard command.arguments == ["poll"] else { return nil }
      return CommandOutput(exitCode: 0, stdout: attempts.next() >= 3 ? "ready" : "wait")
    }
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "poll", "run": {"argv": ["poll"]}, "register": "r", "until": "r.stdout == 'ready'", "retries": 5, "delay": 0}]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY all", "TASK poll", "RETRY [h1] 5", "RETRY [h1] 4", "changed: [h1]",
      ])
    #expect(run.sink.results(of: "poll")["h1"]?.attempts == 3)
  }

  @Test func `36 until never true runs retries plus one times and fails`() async throws {
    let run = TestRun()
    run.host("h1").respond(to: ["poll"], stdout: "wait")
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "poll", "run": {"argv": ["poll"]}, "register": "r", "until": "r.stdout == 'ready'", "retries": 2, "delay": 1}]}]"#
    )
    #expect(run.host("h1").commands.filter { $0 == ["poll"] }.count == 3)
    // ansible-core 2.19 reports `attempts` as the retries asked for once they run out
    // (`Fixtures/ansible/integration/cases/until.attempts`).
    #expect(run.sink.results(of: "poll")["h1"]?.attempts == 2)
    #expect(recap.stats["h1"]?.failed == 1)
  }

  @Test func `37 a loop registers per-item results`() async throws {
    let run = TestRun()
    run.host("h1").put("/b", "x")
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "l", "put": {"path": "/{{ item }}", "content": "x"}, "loop": ["a", "b", "c"], "register": "out"}, {"name": "check", "fail": {"msg": "wrong"}, "when": "out.results | length != 3 or not out.changed or out.msg != 'All items completed'"}]}]"#
    )
    #expect(run.sink.results(of: "check")["h1"]?.skipped == true)
    let items = run.sink.results(of: "l")["h1"]?.items ?? []
    #expect(items.map(\.changed) == [true, false, true])
  }

  @Test func `38 an empty loop is skipped once`() async throws {
    let run = TestRun()
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "l", "ok": {}, "loop": []}]}]"#)
    #expect(run.sink.results(of: "l")["h1"]?.skipReason == "No items in the list")
    #expect(recap.stats["h1"]?.skipped == 1)
  }

  @Test func `39 a rescued block counts rescued not failed`() async throws {
    let run = TestRun()
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "b", "block": [{"name": "boom", "fail": {}}, {"name": "never", "ok": {}}], "rescue": [{"name": "fix", "ok": {}}], "always": [{"name": "finally", "ok": {}}]}, {"name": "after", "ok": {}}]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY all", "TASK boom", "failed: [h1]", "TASK fix", "ok: [h1]", "TASK finally", "ok: [h1]",
        "TASK after", "ok: [h1]",
      ])
    #expect(recap.stats["h1"]?.rescued == 1)
    #expect(recap.stats["h1"]?.failed == 0)
    #expect(recap.exitCode == 0)
  }
}

/// Counts calls from concurrent code.
final class Counter: Sendable {
  private let value = Synchronization.Mutex(0)
  func next() -> Int {
    value.withLock {
      $0 += 1; return $0
    }
  }
}
