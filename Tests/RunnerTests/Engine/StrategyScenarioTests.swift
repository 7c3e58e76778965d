import Engine
import Foundation
import Synchronization
import Testing

/// Spec §12 scenarios 46–50: the linear strategy across hosts.
@Suite struct StrategyScenarioTests {
  @Test func `46 a step starts on no host before the previous one finished on all`() async throws {
    let run = TestRun(hosts: ["h1", "h2", "h3"])
    let log = Log()
    for host in run.hosts {
      host.respond { command in
        guard command.arguments.first == "work" else { return nil }
        if host.name == "h2" { Thread.sleep(forTimeInterval: 0.05) }
        log.append("\(command.arguments[1]) \(host.name)")
        return CommandOutput(exitCode: 0, stdout: "")
      }
    }
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "one", "run": {"argv": ["work", "1"]}}, {"name": "two", "run": {"argv": ["work", "2"]}}]}]"#
    )
    let entries = log.entries
    let lastOne = entries.lastIndex { $0.hasPrefix("1 ") } ?? 0
    let firstTwo = entries.firstIndex { $0.hasPrefix("2 ") } ?? 0
    #expect(entries.count == 6)
    #expect(lastOne < firstTwo)
  }

  @Test func `47 serial runs batches with their own handler flush`() async throws {
    let run = TestRun(hosts: ["h1", "h2", "h3"])
    try await run.run(
      #"[{"name": "p", "hosts": "all", "serial": 2, "tasks": [{"name": "t", "put": {"path": "/x", "content": "y"}, "notify": "H"}], "handlers": [{"name": "H", "ok": {}}]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY p", "TASK t", "changed: [h1]", "changed: [h2]", "HANDLER H", "ok: [h1]", "ok: [h2]",
        "PLAY p", "TASK t", "changed: [h3]", "HANDLER H", "ok: [h3]",
      ])
  }

  static let oneFails =
    #"{"name": "boom", "fail": {}, "when": "inventory_hostname == 'h2'"}, {"name": "next", "ok": {}}"#

  @Test func `48 any_errors_fatal stops every host and later plays`() async throws {
    let run = TestRun(hosts: ["h1", "h2", "h3"])
    let recap = try await run.run(
      #"[{"hosts": "all", "any_errors_fatal": true, "tasks": [\#(Self.oneFails)]}, {"name": "second", "hosts": "all", "tasks": [{"name": "later", "ok": {}}]}]"#
    )
    #expect(run.sink.results(of: "next").isEmpty)
    #expect(run.sink.results(of: "later").isEmpty)
    // ansible-core 2.19 prints NO MORE HOSTS LEFT only past max_fail_percentage.
    #expect(!run.sink.transcript.contains("NO MORE HOSTS LEFT"))
    #expect(recap.exitCode == 2)
    #expect(recap.stats["h1"]?.failed == 0)
  }

  @Test(arguments: [(30, true), (34, false)])
  func `49 max_fail_percentage aborts only when strictly exceeded`(percent: Int, aborts: Bool)
    async throws
  {
    let run = TestRun(hosts: ["h1", "h2", "h3"])
    try await run.run(
      #"[{"hosts": "all", "max_fail_percentage": \#(percent), "tasks": [\#(Self.oneFails)]}]"#)
    #expect(run.sink.results(of: "next").isEmpty == aborts)
    #expect(run.sink.transcript.contains("NO MORE HOSTS LEFT") == aborts)
  }

  @Test func `50 a host failed in one play is not targeted by the next`() async throws {
    let run = TestRun(hosts: ["h1", "h2", "h3"])
    try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.oneFails)]}, {"name": "second", "hosts": "all", "tasks": [{"name": "later", "ok": {}}]}]"#
    )
    #expect(run.sink.results(of: "later").keys.sorted() == ["h1", "h3"])
  }

  @Test func `forks bounds how many hosts run at once`() async throws {
    var run = TestRun(hosts: ["h1", "h2", "h3", "h4"])
    run.options.forks = 2
    let gauge = Gauge()
    for host in run.hosts {
      host.respond { command in
        guard command.arguments.first == "work" else { return nil }
        gauge.enter()
        Thread.sleep(forTimeInterval: 0.02)
        gauge.leave()
        return CommandOutput(exitCode: 0, stdout: "")
      }
    }
    try await run.run(#"[{"hosts": "all", "tasks": [{"name": "one", "run": {"argv": ["work"]}}]}]"#)
    // Never more than `forks` at once (how many really overlap depends on free threads).
    #expect(gauge.peak <= 2)
    #expect(gauge.peak >= 1)
  }
}

final class Log: Sendable {
  private let lines = Mutex<[String]>([])
  func append(_ line: String) { lines.withLock { $0.append(line) } }
  var entries: [String] { lines.withLock { $0 } }
}

final class Gauge: Sendable {
  private let state = Mutex((current: 0, peak: 0))
  func enter() {
    state.withLock {
      $0.current += 1; $0.peak = max($0.peak, $0.current)
    }
  }
  func leave() { state.withLock { $0.current -= 1 } }
  var peak: Int { state.withLock { $0.peak } }
}
