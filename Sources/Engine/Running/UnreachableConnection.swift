import Foundation

/// Stands in for a host whose connection could not even be made: every use is unreachable.
struct UnreachableConnection: Connection {
  let reason: String
  func run(_ command: Command) async throws -> CommandOutput { throw HostUnreachable(reason) }
  func read(_ path: HostPath) async throws -> Data? { throw HostUnreachable(reason) }
  func write(_ file: FileWrite) async throws { throw HostUnreachable(reason) }
}
