public import Foundation

/// The transport to one host: local, ssh, or a fake in tests. Modules never see a connection;
/// only the engine writes through it, so check mode cannot change a host by construction.
public protocol Connection: Sendable {
  /// Runs a command (argv, no shell). A non-zero exit is an output, not an error; an error
  /// means the host could not be reached or the program could not be started.
  func run(_ command: Command) async throws -> CommandOutput
  /// The file's bytes, or nil when the path does not exist.
  func read(_ path: HostPath) async throws -> Data?
  /// Writes a file atomically: a temp file in the target directory, created with its final
  /// mode, optionally validated, then renamed over the destination. Never a partial file.
  func write(_ file: FileWrite) async throws
}

/// The host could not be reached (ssh failed to connect, the connection dropped).
public struct HostUnreachable: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
