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
  @Test func `the console names what a step still waits for and for how long`() async {
    let lines = Mutex("")
    let console = ConsoleReporter { text in lines.withLock { $0 += text } }
    let step = StepInfo(
      displayName: "dci_api : Restart dci-api", module: "rolling_restart", isHandler: true,
      source: "", showsDiff: false)
    await console.record(.stepStarted(step))
    await console.record(
      .waiting(host: "h1", step: step, change: "restart dci-api@0.service", seconds: 10))
    let text = lines.withLock { $0 }
    #expect(text.hasPrefix("\nRUNNING HANDLER [dci_api : Restart dci-api] "), "\(text)")
    #expect(text.hasSuffix("*\n  waiting: [h1] restart dci-api@0.service (10 s)\n"), "\(text)")
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
