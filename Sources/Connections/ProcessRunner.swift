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
/// It spawns with `posix_spawn` and waits with `waitpid` rather than using Foundation's
/// `Process`, which on Linux learns that a child exited when a socket the child inherited is
/// closed: the daemon `ssh` leaves behind (its `ControlPersist` master) keeps that socket, so
/// the run would never end. Here the child gets exactly stdin, stdout and stderr, and every
/// pipe is close-on-exec, so no other program (started concurrently) can hold one open.
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
        throw ModuleError(
          "Unable to change directory before execution: '\(directory)' is not a directory")
      }
    }
    let child = try SpawnedProcess(
      executable: executable, arguments: arguments, environment: merged, directory: directory,
      hasInput: input != nil)
    return await withCheckedContinuation { continuation in
      let collector = OutputCollector(continuation)
      Thread.detachNewThread { collector.standardOutput(PipeIO.readAll(child.standardOutput)) }
      Thread.detachNewThread { collector.standardError(PipeIO.readAll(child.standardError)) }
      if let input, let descriptor = child.standardInput {
        Thread.detachNewThread { PipeIO.send(input, to: descriptor) }
      }
      Thread.detachNewThread { collector.exited(child.waitForExit()) }
    }
  }
}

/// Gathers a process's exit status and both outputs, and resumes the waiting task once all
/// three are known.
private final class OutputCollector: Sendable {
  private struct State {
    var continuation: CheckedContinuation<CommandOutput, Never>?
    var status: Int32?
    var standardOutput: Data?
    var standardError: Data?
  }

  private let state: Mutex<State>

  init(_ continuation: CheckedContinuation<CommandOutput, Never>) {
    state = Mutex(State(continuation: continuation))
  }

  func exited(_ status: Int32) { update { $0.status = status } }
  func standardOutput(_ data: Data) { update { $0.standardOutput = data } }
  func standardError(_ data: Data) { update { $0.standardError = data } }

  private func update(_ change: (inout State) -> Void) {
    let ready: (CheckedContinuation<CommandOutput, Never>, CommandOutput)? = state.withLock {
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
