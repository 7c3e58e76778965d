import Engine
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a program on this machine from an argv array (never through a shell), feeding its
/// standard input and draining its standard output and error concurrently, each on its own
/// thread, so a program that writes megabytes to both cannot deadlock against a full pipe.
///
/// A program that is not found on `PATH` yields exit status 127 and a message, as a shell
/// would, so a local host and an ssh host answer the same way.
struct ProcessRunner: Sendable {
  /// Runs `arguments` with `input` on stdin (or `/dev/null`), extra `environment` variables and
  /// an optional working `directory`.
  func run(
    _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
    directory: String? = nil
  ) async throws -> CommandOutput {
    guard let program = arguments.first else {
      throw ModuleError("cannot run an empty command")
    }
    let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    guard let executable = ExecutableLookup.find(program, path: merged["PATH"]) else {
      return CommandOutput(exitCode: 127, stdout: "", stderr: "\(program): command not found\n")
    }
    if let directory {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        throw ModuleError("Unable to change directory before execution: '\(directory)' is not a directory")
      }
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(arguments.dropFirst())
    process.environment = merged
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    return try await ProcessRunner.launch(process, input: input)
  }

  private static func launch(_ process: Process, input: Data?) async throws -> CommandOutput {
    let standardOutput = Pipe()
    let standardError = Pipe()
    let standardInput = input.map { _ in Pipe() }
    process.standardOutput = standardOutput
    process.standardError = standardError
    process.standardInput = standardInput ?? FileHandle.nullDevice
    return try await withCheckedThrowingContinuation { continuation in
      let collector = OutputCollector(continuation)
      process.terminationHandler = { finished in
        let status = finished.terminationStatus
        collector.exited(finished.terminationReason == .uncaughtSignal ? -status : status)
      }
      do {
        try process.run()
      } catch {
        collector.fail(error)
        return
      }
      let outputHandle = standardOutput.fileHandleForReading
      let errorHandle = standardError.fileHandleForReading
      Thread.detachNewThread { collector.standardOutput(PipeDrain.readAll(outputHandle)) }
      Thread.detachNewThread { collector.standardError(PipeDrain.readAll(errorHandle)) }
      if let standardInput, let input {
        let inputHandle = standardInput.fileHandleForWriting
        Thread.detachNewThread { PipeDrain.send(input, to: inputHandle) }
      }
    }
  }
}

/// Gathers a process's exit status and both outputs, and resumes the waiting task once all
/// three are known.
private final class OutputCollector: Sendable {
  private struct State {
    var continuation: CheckedContinuation<CommandOutput, any Error>?
    var status: Int32?
    var standardOutput: Data?
    var standardError: Data?
  }

  private let state: Mutex<State>

  init(_ continuation: CheckedContinuation<CommandOutput, any Error>) {
    state = Mutex(State(continuation: continuation))
  }

  func exited(_ status: Int32) { update { $0.status = status } }
  func standardOutput(_ data: Data) { update { $0.standardOutput = data } }
  func standardError(_ data: Data) { update { $0.standardError = data } }

  func fail(_ error: any Error) {
    let continuation = state.withLock { state in
      defer { state.continuation = nil }
      return state.continuation
    }
    continuation?.resume(throwing: error)
  }

  private func update(_ change: (inout State) -> Void) {
    let ready: (CheckedContinuation<CommandOutput, any Error>, CommandOutput)? = state.withLock {
      state in
      change(&state)
      guard let status = state.status, let output = state.standardOutput,
        let error = state.standardError, let continuation = state.continuation
      else { return nil }
      state.continuation = nil
      return (
        continuation,
        CommandOutput(exitCode: status, standardOutput: output, standardError: error)
      )
    }
    if let (continuation, output) = ready { continuation.resume(returning: output) }
  }
}

/// Blocking pipe I/O, run on dedicated threads so the cooperative pool never blocks.
private enum PipeDrain {
  static func readAll(_ handle: FileHandle) -> Data {
    (try? handle.readToEnd()) ?? Data()
  }

  /// Writes `data` and closes the pipe. SIGPIPE is blocked on this thread only (a program that
  /// exits without reading its input makes `write` fail with EPIPE instead of killing us); the
  /// process-wide signal disposition is left alone.
  static func send(_ data: Data, to handle: FileHandle) {
    var blocked = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &blocked, nil)
    let descriptor = handle.fileDescriptor
    data.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
    try? handle.close()
  }
}

/// Finds a program on `PATH` the way `execvp` would.
enum ExecutableLookup {
  static func find(_ program: String, path: String?) -> String? {
    if program.contains("/") {
      return FileManager.default.isExecutableFile(atPath: program) ? program : nil
    }
    let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
    for directory in directories {
      let candidate = "\(directory)/\(program)"
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
    }
    return nil
  }
}
