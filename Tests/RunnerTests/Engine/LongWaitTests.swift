import Engine
import Foundation
import Synchronization
import Testing

/// A change that runs long is reported while it runs, and not once it is done.
@Suite struct LongWaitTests {
  @Test func `a long change is reported while it runs, a short one never`() async throws {
    let host = SleepingHost()
    let seen = Mutex<[String]>([])
    let changes = [
      Change("quick", actions: [.run(["sleep", "1"])]),
      Change("restart web@0.service", actions: [.run(["sleep", "2000"])]),
    ]
    _ = try await ActionExecutor(connection: host).apply(
      changes, waiting: { change, seconds in seen.withLock { $0.append("\(change) \(seconds)") } },
      every: 1, unit: .milliseconds(100))
    let reports = seen.withLock { $0 }
    #expect(reports.first == "restart web@0.service 1", "\(reports)")
    // Timers slip on a loaded machine: at least one report, never more than fit in 2 s.
    #expect(reports.count >= 1 && reports.count <= 20, "\(reports)")
    #expect(reports == (0..<reports.count).map { "restart web@0.service \($0 + 1)" })
    #expect(!reports.contains { $0.hasPrefix("quick") })
  }
}

extension LongWaitTests {
  static let step = StepInfo(
    displayName: "dci_api : Restart dci-api", module: "rolling_restart", isHandler: true,
    source: "", showsDiff: false)

  static func console(_ style: ConsoleStyle, _ events: [Event]) async -> String {
    let lines = Mutex("")
    let console = ConsoleReporter(style: style) { text in lines.withLock { $0 += text } }
    for event in events { await console.record(event) }
    return lines.withLock { $0 }
  }

  static let waits: [Event] = [
    .stepStarted(step),
    .waiting(host: "h1", step: step, change: "restart dci-api@0.service", seconds: 10),
    .waitingForLock(host: "h2", seconds: 5),
    .hostResult(host: "h1", step: step, result: StepResult()),
    .hostResult(host: "h2", step: step, result: StepResult()),
  ]

  @Test func `on a terminal a status line names the hosts a step still waits for`() async {
    let terminal = ConsoleStyle(colours: false, columns: 150, isTerminal: true)
    let text = await Self.console(terminal, Self.waits)
    let clear = "\r\u{1B}[K"
    let banner = "\nRUNNING HANDLER [dci_api : Restart dci-api] "
    #expect(text.hasPrefix(banner), "\(text)")
    let afterBanner = String(text.drop { $0 != "*" }.drop { $0 == "*" })
    #expect(
      afterBanner == "\n  waiting for [h1] restart dci-api@0.service (10 s)"
        + clear + "  waiting for [h1] restart dci-api@0.service (10 s), [h2] another run holds "
        + "the host's run lock (5 s)"
        + clear + "ok: [h1]\n  waiting for [h2] another run holds the host's run lock (5 s)"
        + clear + "ok: [h2]\n", "\(afterBanner.debugDescription)")
  }

  @Test func `into a pipe long waits print nothing`() async {
    let piped = await Self.console(.plain, Self.waits)
    #expect(!piped.contains("waiting") && !piped.contains("\u{1B}"), "\(piped)")
    #expect(piped.hasSuffix("*\nok: [h1]\nok: [h2]\n"), "\(piped)")
  }

  @Test func `a status line longer than the terminal is cut, never wrapped`() async {
    let narrow = ConsoleStyle(colours: false, columns: 79, isTerminal: true)
    let text = await Self.console(
      narrow,
      [
        .stepStarted(Self.step),
        .waiting(
          host: "h1", step: Self.step, change: String(repeating: "x", count: 200), seconds: 3),
      ])
    let status = String(text.split(separator: "\n").last ?? "")
    #expect(status.count == 79 && status.hasSuffix("…"), "\(status)")
  }
}

/// A host whose `sleep MS` takes that many milliseconds, without holding a thread.
private struct SleepingHost: Connection {
  func run(_ command: Command) async throws -> CommandOutput {
    try await Task.sleep(for: .milliseconds(Int(command.arguments[1]) ?? 0))
    return CommandOutput(exitCode: 0, stdout: "")
  }
  func read(_ path: HostPath) async throws -> Data? { nil }
  func write(_ file: FileWrite) async throws {}
}
