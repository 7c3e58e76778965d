import Engine
import Foundation
import Synchronization
import Testing

/// Groups the reporter tests so `swift test --filter Reporting` selects them all.
enum Reporting {}

extension Reporting {
  /// A fixed run for the reporter tests: the events of a two-host play that touches every kind
  /// of line (ok, changed with diff, skipped, ignored failure, loops, retries, unreachable,
  /// handlers, warnings, secrets), modelled on a real ansible-playbook 2.19 run of the same
  /// tasks so the golden files can be read side by side with Ansible's output.
  enum Fixtures {
    /// Collects what a reporter writes.
    final class Output: Sendable {
      private let chunks = Mutex<[String]>([])

      var write: @Sendable (String) -> Void {
        { text in self.chunks.withLock { $0.append(text) } }
      }

      var text: String { chunks.withLock { $0.joined() } }
      var writes: Int { chunks.withLock { $0.count } }
    }

    /// A clock that advances by 1.25 s at every reading, from 2024-10-10T12:00:00Z.
    final class SteppingClock: Sendable {
      private let readings = Mutex(0)

      var now: @Sendable () -> Date {
        {
          let reading = self.readings.withLock { count in
            defer { count += 1 }
            return count
          }
          return Date(timeIntervalSince1970: 1_728_561_600 + Double(reading) * 1.25)
        }
      }
    }

    static let secret = "s3cr3t-token"
    static let masker = SecretMasker(secrets: [secret])

    static let play = PlayInfo(
      name: "Demo play", hosts: ["h1", "h2"], source: "playbooks/demo.json:2", checkMode: false)

    static func step(
      _ name: String, module: String? = "command", line: Int, handler: Bool = false,
      diff: Bool = false
    ) -> StepInfo {
      StepInfo(
        displayName: name, module: module, isHandler: handler,
        source: "playbooks/demo.json:\(line)", showsDiff: diff)
    }

    static let okStep = step("ok task", line: 8)
    static let configStep = step("app : write config", module: "template", line: 3, diff: true)
    static let skippedStep = step("skipped task", line: 14)
    static let failingStep = step("failing task", line: 18)
    static let loopStep = step("loop task", line: 24)
    static let loopFailStep = step("loop fail", line: 31)
    static let retryStep = step("retry task", line: 39)
    static let emptyLoopStep = step("empty loop", line: 47)
    static let secretStep = step("app : write secret", module: "template", line: 9, diff: true)
    static let pingStep = step("ping", module: "ping", line: 52)
    static let handlerStep = step(
      "app : restart app", module: "systemd", line: 20, handler: true)

    static func ok(changed: Bool = false, values: [String: JSONValue] = [:]) -> StepResult {
      var result = StepResult()
      result.changed = changed
      result.values = values
      return result
    }

    static func command(exitCode: Int32, stdout: String = "", changed: Bool = true) -> StepResult {
      var result = StepResult()
      result.changed = changed
      result.commandOutput = CommandOutput(exitCode: exitCode, stdout: stdout)
      if exitCode != 0 {
        result.failed = true
        result.message = "non-zero return code"
      }
      return result
    }

    static func item(
      _ value: JSONValue, label: String? = nil, _ result: StepResult = StepResult()
    ) -> StepResult {
      var result = result
      result.item = value
      result.itemLabel = label
      return result
    }

    static func loop(_ items: [StepResult]) -> StepResult {
      var result = StepResult()
      result.items = items
      result.changed = items.contains(where: \.changed)
      result.failed = items.contains(where: \.failed)
      result.skipped = !items.isEmpty && items.allSatisfy(\.skipped)
      result.message =
        result.failed
        ? "One or more items failed" : result.skipped ? "All items skipped" : "All items completed"
      return result
    }

    static func written(_ diff: Diff, path: String) -> StepResult {
      var result = ok(changed: true, values: ["dest": .string(path)])
      result.diffs = [diff]
      result.changes = ["write \(path)"]
      return result
    }

    static var conditionFalse: StepResult {
      .skipped("Conditional result was False", condition: "inventory_hostname == 'h1'")
    }

    /// The whole run, in the order the engine emits it (hosts in inventory order).
    static var events: [Event] {
      var ignoredFailure = command(exitCode: 1, stdout: "token=\(secret)")
      ignoredFailure.ignored = true

      var loopFailure = loop([
        item(["n": "x"], label: "x", command(exitCode: 0)),
        item(["n": "y"], label: "y", command(exitCode: 1)),
      ])
      loopFailure.ignored = true

      var retried = command(exitCode: 0, changed: false)
      retried.attempts = 3
      let attempt = command(exitCode: 1, changed: false)

      var emptyLoop = StepResult()
      emptyLoop.skipped = true
      emptyLoop.items = []
      emptyLoop.values = ["skipped_reason": "No items in the list"]

      var unreachable = StepResult()
      unreachable.unreachable = true
      unreachable.message =
        "Failed to connect to the host via ssh: ssh: connect to host 192.0.2.1 port 22: "
        + "Connection refused"

      let changedConfig = Diff(
        before: "port=8080\nname=demo\n", after: "port=9090\nname=demo\n",
        beforeHeader: "/srv/demo/app.conf", afterHeader: "/srv/demo/app.conf")
      let newConfig = Diff(
        before: "", after: "port=9090\nname=demo\n", afterHeader: "/srv/demo/app.conf")
      let secretDiff = Diff(
        before: "", after: "token=\(secret)\n", beforeHeader: "/srv/demo/secret.env",
        afterHeader: "/srv/demo/secret.env", isHidden: true)
      let leakedSecretDiff = Diff(
        before: "token=old\n", after: "token=\(secret)\n", beforeHeader: "/srv/demo/token",
        afterHeader: "/srv/demo/token")

      var h1Stats = HostStats()
      h1Stats.ok = 10
      h1Stats.changed = 6
      h1Stats.skipped = 2
      h1Stats.ignored = 2
      var h2Stats = HostStats()
      h2Stats.ok = 6
      h2Stats.changed = 3
      h2Stats.skipped = 5
      h2Stats.unreachable = 1

      return [
        .playStarted(play),
        .stepStarted(okStep),
        .hostResult(host: "h1", step: okStep, result: command(exitCode: 0, changed: false)),
        .hostResult(host: "h2", step: okStep, result: command(exitCode: 0, changed: false)),
        .stepStarted(configStep),
        .hostResult(
          host: "h1", step: configStep, result: written(changedConfig, path: "/srv/demo/app.conf")),
        .handlerNotified(host: "h1", handler: "app : restart app"),
        .hostResult(
          host: "h2", step: configStep, result: written(newConfig, path: "/srv/demo/app.conf")),
        .handlerNotified(host: "h2", handler: "app : restart app"),
        .stepStarted(skippedStep),
        .hostResult(
          host: "h1", step: skippedStep,
          result: .skipped("Conditional result was False", condition: "false")),
        .hostResult(
          host: "h2", step: skippedStep,
          result: .skipped("Conditional result was False", condition: "false")),
        .stepStarted(failingStep),
        .hostResult(host: "h1", step: failingStep, result: ignoredFailure),
        .hostResult(host: "h2", step: failingStep, result: conditionFalse),
        .stepStarted(loopStep),
        .hostResult(
          host: "h1", step: loopStep,
          result: loop([
            item("a", command(exitCode: 0, stdout: "a", changed: false)),
            item("b", command(exitCode: 0, stdout: "b")),
          ])),
        .hostResult(
          host: "h2", step: loopStep,
          result: loop([item("a", conditionFalse), item("b", conditionFalse)])),
        .stepStarted(loopFailStep),
        .hostResult(host: "h1", step: loopFailStep, result: loopFailure),
        .hostResult(
          host: "h2", step: loopFailStep,
          result: loop([item(["n": "z"], command(exitCode: 0, changed: false))])),
        .stepStarted(retryStep),
        .retrying(host: "h1", step: retryStep, retriesLeft: 5, result: attempt),
        .retrying(host: "h2", step: retryStep, retriesLeft: 5, result: attempt),
        .retrying(host: "h1", step: retryStep, retriesLeft: 4, result: attempt),
        .retrying(host: "h2", step: retryStep, retriesLeft: 4, result: attempt),
        .hostResult(host: "h1", step: retryStep, result: retried),
        .hostResult(host: "h2", step: retryStep, result: retried),
        .stepStarted(emptyLoopStep),
        .hostResult(host: "h1", step: emptyLoopStep, result: emptyLoop),
        .hostResult(host: "h2", step: emptyLoopStep, result: emptyLoop),
        .stepStarted(secretStep),
        .hostResult(
          host: "h1", step: secretStep, result: written(secretDiff, path: "/srv/demo/secret.env")),
        .hostResult(
          host: "h2", step: secretStep, result: written(leakedSecretDiff, path: "/srv/demo/token")),
        .warning("the token file on h2 is world readable"),
        .detail(host: "h1", message: "2 round trips", verbosity: 1),
        .detail(host: nil, message: "planning cache: 3 reads saved", verbosity: 3),
        .stepStarted(pingStep),
        .hostResult(host: "h1", step: pingStep, result: ok(values: ["ping": "pong"])),
        .hostResult(host: "h2", step: pingStep, result: unreachable),
        .stepStarted(handlerStep),
        .hostResult(host: "h1", step: handlerStep, result: ok(changed: true)),
        .playFinished(play),
        .finished(PlayRecap(stats: ["h2": h2Stats, "h1": h1Stats])),
      ]
    }

    /// Feeds `events` to `sink` one after the other.
    static func replay(_ events: [Event], into sink: some EventSink) async {
      for event in events { await sink.record(event) }
    }

    // MARK: Golden files

    /// The golden file's text, or nil when it does not exist yet.
    static func snapshot(_ name: String) throws -> String? {
      let folder = try #require(Bundle.module.url(forResource: "Snapshots", withExtension: nil))
      return try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// Compares `actual` with the golden file byte for byte. With `RUNNER_RECORD_SNAPSHOTS=1`
    /// in the environment it rewrites the file in the source tree instead (review the diff).
    static func expectMatchesSnapshot(
      _ actual: String, named name: String, filePath: String = #filePath,
      sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
      if ProcessInfo.processInfo.environment["RUNNER_RECORD_SNAPSHOTS"] == "1" {
        let folder = URL(fileURLWithPath: filePath)
          .deletingLastPathComponent().deletingLastPathComponent()
          .appendingPathComponent("Snapshots")
        try actual.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return
      }
      let expected = try snapshot(name)
      #expect(
        expected != nil, "missing golden file Snapshots/\(name)", sourceLocation: sourceLocation)
      guard let expected, expected != actual else { return }
      let actualCopy = FileManager.default.temporaryDirectory.appendingPathComponent(name)
      try? actual.write(to: actualCopy, atomically: true, encoding: .utf8)
      let firstDifference = zip(
        expected.split(separator: "\n", omittingEmptySubsequences: false),
        actual.split(separator: "\n", omittingEmptySubsequences: false)
      ).enumerated().first { $0.element.0 != $0.element.1 }
      Issue.record(
        """
        output differs from Snapshots/\(name) (actual output written to \(actualCopy.path)); \
        first different line \((firstDifference?.offset ?? -1) + 1):
          expected: \(firstDifference.map { String($0.element.0) } ?? "(end)")
          actual:   \(firstDifference.map { String($0.element.1) } ?? "(end)")
        """, sourceLocation: sourceLocation)
    }
  }
}
