public import Foundation

/// Read access to a host for planning: the connection's reads, answered from the engine's
/// per-host cache when the same question was already asked since the last change.
public final class HostReader: Sendable {
  private let connection: any Connection
  private let cache: ReadCache

  public init(connection: any Connection, cache: ReadCache = ReadCache()) {
    self.connection = connection
    self.cache = cache
  }

  public func output(of command: Command) async throws -> CommandOutput {
    if let cached = cache.output(of: command) { return cached }
    let output = try await connection.run(command)
    cache.store(output, for: command)
    return output
  }

  public func contents(of path: HostPath) async throws -> Data? {
    if let cached = cache.contents(of: path) { return cached }
    let data = try await connection.read(path)
    cache.store(data, for: path)
    return data
  }
}
