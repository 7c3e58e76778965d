import Engine
import Foundation

/// A simulated host: answers every read from a `Recording`, each call after `delay` (one round
/// trip), and refuses to change anything, so a run that would is an error, not a silent pass.
/// A command the recording does not hold is an error; a file it never read is absent, as the
/// one file named after the host (its pending-handler record) was on the recorded host.
struct ReplayConnection: PrefetchingConnection, HostLocking {
  let files: [String: Data?]
  let commands: [Recording.Question: CommandOutput]
  let delay: Duration

  init(_ recording: Recording, delay: Duration) {
    files = recording.files
    commands = Dictionary(
      recording.commands.map { ($0.question, $0.answer.output) }, uniquingKeysWith: { $1 })
    self.delay = delay
  }

  func run(_ command: Command) async throws -> CommandOutput {
    try await Task.sleep(for: delay)
    return try output(of: command)
  }

  func read(_ path: HostPath) async throws -> Data? {
    try await Task.sleep(for: delay)
    return try contents(of: path)
  }

  func write(_ file: FileWrite) async throws {
    throw ModuleError("a simulated host is not written to: \(file.path)")
  }

  func answer(_ reads: [HostRead]) async throws -> [ReadAnswer] {
    try await Task.sleep(for: delay)
    return try reads.map { read in
      if case .file(let path) = read { return .file(try contents(of: path)) }
      guard let command = read.command else { throw ModuleError("an unknown read") }
      return .command(try output(of: command))
    }
  }

  var prefetchesAgainAfterChanges: Bool { true }

  func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock {
    try await Task.sleep(for: delay)
    return NoLock()
  }

  private func output(of command: Command) throws -> CommandOutput {
    guard let output = commands[Recording.Question(command)] else {
      throw ModuleError("not in the recording: \(command)")
    }
    return output
  }

  private func contents(of path: HostPath) throws -> Data? {
    files[path.rawValue] ?? nil
  }
}
