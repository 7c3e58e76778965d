public import Engine
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A program kept running beside the run, its standard input held open: the host's run lock
/// (`HostLockScript`) lives exactly as long as it, and answers probe batches sent on its
/// input (`HeldBatches`). Its output is read as it comes; its standard error is kept for the
/// message when it ends early.
public final class HeldProcess: HeldHostLock {
  private let process: SpawnedProcess
  private let input: Mutex<Int32?>
  private let errors = HeldOutput()
  private let exitStatus: Task<Int32, Never>
  /// Its standard output, as it comes.
  let output = HeldOutput()
  /// What its ending means for the transport, if anything (ssh's 255: the host is unreachable).
  let failure: @Sendable (CommandOutput) -> (any Error)?

  /// Starts `arguments`; `failure` says what an early end means for the transport.
  public init(
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
    let output = output
    Thread.detachNewThread {
      HeldProcess.pump(process.standardOutput, into: output)
    }
    let errors = errors
    Thread.detachNewThread {
      HeldProcess.pump(process.standardError, into: errors)
    }
    exitStatus = Task.detached { await HeldProcess.waitForExit(process) }
  }

  /// Writes `data` to its input; false once it no longer reads it (ended, or gone).
  func send(_ data: Data) async -> Bool {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        let sent = self.input.withLock { descriptor in
          descriptor.map { PipeIO.writeAll(data, to: $0) } ?? false
        }
        continuation.resume(returning: sent)
      }
    }
  }

  /// What it printed on standard error so far.
  var standardError: Data { errors.received }

  /// Ends the session (its input closed) and waits for it to exit.
  public func release() async { _ = await end() }

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
    return CommandOutput(exitCode: status, standardError: errors.received)
  }

  private static func waitForExit(_ process: SpawnedProcess) async -> Int32 {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { continuation.resume(returning: process.waitForExit()) }
    }
  }

  private static func pump(_ descriptor: Int32, into output: HeldOutput) {
    defer {
      close(descriptor)
      output.end()
    }
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return }
      output.append(Data(buffer[0..<count]))
    }
  }
}
