import Engine
import Foundation
import Synchronization

/// A real connection whose reads are kept in a `Recording`. Writes pass through: a recorded run
/// is meant to change nothing, and one that does says so in its recap.
final class RecordingConnection: PrefetchingConnection, HostLocking {
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

  func answer(_ reads: [HostRead]) async throws -> [ReadAnswer] {
    guard let prefetching = base as? any PrefetchingConnection else {
      throw ModuleError("the recorded host's connection does not batch its reads")
    }
    let answers = try await prefetching.answer(reads)
    for (read, answer) in zip(reads, answers) {
      switch (read, answer) {
      case (.file(let path), .file(let data)):
        recording.withLock { $0.files[path.rawValue] = .some(data) }
      case (_, .command(let output)):
        if let command = read.command { keep(command, output) }
      default: continue
      }
    }
    return answers
  }

  var prefetchesAgainAfterChanges: Bool {
    (base as? any PrefetchingConnection)?.prefetchesAgainAfterChanges ?? true
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
