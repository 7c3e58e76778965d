import Engine
import Foundation
import Synchronization

/// A real connection whose reads are kept in a `Recording`. Writes pass through: a recorded run
/// is meant to change nothing, and one that does says so in its recap.
final class RecordingConnection: BatchReading, HostLocking {
  private let base: any Connection
  private let recording = Mutex(Recording())

  init(_ base: any Connection) { self.base = base }

  var recorded: Recording { recording.withLock { $0 } }

  func run(_ command: Command) async throws -> CommandOutput {
    let output = try await base.run(command)
    keep(command, output)
    return output
  }

  func read(_ path: HostPath) async throws -> Data? {
    let data = try await base.read(path)
    recording.withLock { $0.files[path.rawValue] = .some(data) }
    return data
  }

  func write(_ file: FileWrite) async throws { try await base.write(file) }

  func answer(_ probes: [Probe]) async throws -> [ProbeAnswer] {
    guard let batching = base as? any BatchReading else {
      throw ModuleError("the recorded host's connection does not batch its reads")
    }
    let answers = try await batching.answer(probes)
    for (probe, answer) in zip(probes, answers) {
      switch (probe, answer) {
      case (.file(let path), .file(let data)):
        recording.withLock { $0.files[path.rawValue] = .some(data) }
      case (_, .command(let output)):
        if let command = probe.command { keep(command, output) }
      default: continue
      }
    }
    return answers
  }

  var batchesAgainAfterChanges: Bool {
    (base as? any BatchReading)?.batchesAgainAfterChanges ?? true
  }

  func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock {
    guard let locking = base as? any HostLocking else { return NoLock() }
    return try await locking.lock(mode, run: run, timeout: timeout, busy: busy)
  }

  private func keep(_ command: Command, _ output: CommandOutput) {
    recording.withLock {
      $0.commands.append(
        Recording.Exchange(question: Recording.Question(command), answer: Recording.Answer(output)))
    }
  }
}

/// The lock of a host nobody else runs on.
struct NoLock: HeldHostLock {
  func release() async {}
}
