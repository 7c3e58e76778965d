import Engine
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A program kept running beside the run, its standard input held open: the host's run lock
/// (`HostLockScript`) lives exactly as long as it. Its output is read line by line as it
/// comes; its standard error is kept for the message when it ends early.
final class HeldProcess: HeldHostLock {
  private let process: SpawnedProcess
  private let input: Mutex<Int32?>
  private let errors = StandardError()
  private let exitStatus: Task<Int32, Never>
  /// The lines of its standard output, until it closes it.
  let lines: AsyncStream<String>
  /// What its ending means for the transport, if anything (ssh's 255: the host is unreachable).
  let failure: @Sendable (CommandOutput) -> (any Error)?

  init(
    _ arguments: [String],
    failure: @escaping @Sendable (CommandOutput) -> (any Error)? = { _ in nil }
  ) throws {
    self.failure = failure
    guard let program = arguments.first,
      let executable = ExecutableLookup.find(
        program, path: ProcessInfo.processInfo.environment["PATH"])
    else { throw ModuleError("cannot run '\(arguments.first ?? "")': command not found") }
    let process = try SpawnedProcess(
      executable: executable, arguments: arguments,
      environment: ProcessInfo.processInfo.environment, directory: nil, hasInput: true)
    self.process = process
    input = Mutex(process.standardInput)
    let (lines, continuation) = AsyncStream.makeStream(of: String.self)
    self.lines = lines
    Thread.detachNewThread {
      HeldProcess.readLines(process.standardOutput) { continuation.yield($0) }
      continuation.finish()
    }
    let errors = errors
    Thread.detachNewThread {
      let data = PipeIO.readAll(process.standardError)
      errors.data.withLock { $0 = data }
    }
    exitStatus = Task.detached { await HeldProcess.waitForExit(process) }
  }

  /// Ends the session (its input closed) and waits for it to exit.
  func release() async { _ = await end() }

  /// Closes its input, waits for it: its exit status and what it said on standard error.
  @discardableResult
  func end() async -> CommandOutput {
    if let descriptor = input.withLock({ descriptor in
      defer { descriptor = nil }
      return descriptor
    }) {
      close(descriptor)
    }
    let status = await exitStatus.value
    return CommandOutput(exitCode: status, standardError: errors.data.withLock { $0 })
  }

  private static func waitForExit(_ process: SpawnedProcess) async -> Int32 {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { continuation.resume(returning: process.waitForExit()) }
    }
  }

  private static func readLines(_ descriptor: Int32, _ line: (String) -> Void) {
    defer { close(descriptor) }
    var pending = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return }
      pending.append(contentsOf: buffer[0..<count])
      while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
        pending.removeSubrange(pending.startIndex...newline)
      }
    }
  }
}

/// What a held process printed on standard error, filled in by its reading thread.
private final class StandardError: Sendable {
  let data = Mutex(Data())
}
