/// Carries out a plan's actions through a host's writable connection. Only the engine holds
/// one; after any action the host's read cache is emptied, so later plans see the new state.
public struct ActionExecutor: Sendable {
  public let connection: any Connection
  public let cache: ReadCache

  public init(connection: any Connection, cache: ReadCache = ReadCache()) {
    self.connection = connection
    self.cache = cache
  }

  /// Runs every action of every change in order; returns the outputs of the commands run.
  /// A command whose exit status is not accepted throws `CommandFailed` (its output kept,
  /// with what the change's diagnosis command says).
  /// `waiting` is told, every `interval` seconds while one change runs, its summary and the
  /// seconds it has taken so far (`unit` is a second but in tests).
  public func apply(
    _ changes: [Change], waiting: LongWait.Report? = nil,
    every interval: Int = LongWait.interval, unit: Duration = .seconds(1)
  ) async throws -> [CommandOutput] {
    var outputs: [CommandOutput] = []
    defer { cache.invalidate() }
    for change in changes {
      let watch = waiting.map { report in
        Task {
          var seconds = 0
          while true {
            try await Task.sleep(for: unit * interval)
            seconds += interval
            await report(change.summary, seconds)
          }
        }
      }
      defer { watch?.cancel() }
      for action in change.actions {
        switch action {
        case .run(let command, let accepted):
          let output = try await connection.run(command)
          outputs.append(output)
          guard accepted.contains(output.exitCode) else {
            var diagnosis = ""
            for explain in change.diagnosis {
              diagnosis += (try? await connection.run(explain))?.stdout ?? ""
            }
            throw CommandFailed(command, output: output, diagnosis: diagnosis)
          }
        case .write(let file):
          try await connection.write(file)
        }
      }
    }
    return outputs
  }
}

/// When a change is a long wait worth telling about, and how it is told.
public enum LongWait {
  /// Seconds between two reports of a change still running.
  public static let interval = 10
  public typealias Report = @Sendable (_ change: String, _ seconds: Int) async -> Void
}
