public import Engine
public import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A remote host reached through the system OpenSSH client, one multiplexed master per host.
/// Every read, write, command and batch of probes is one `ssh` run (one round trip); values
/// travel as quoted argv or positional parameters of fixed scripts, never as script text.
public final class SSHConnection: Connection, BatchReading, RoundTripCounting {
  private let host: ScriptedHost<SSHTransport>
  /// Holds the control socket; removed by `close()`.
  let controlDirectory: String

  /// Prepares the connection (a private directory for the control socket); nothing connects
  /// until the first use. `address` defaults to the inventory's `address`, else the host name.
  public init(to inventoryHost: InventoryHost) throws {
    controlDirectory = try SSHConnection.makeControlDirectory()
    let commandLine = SSHCommandLine(
      address: inventoryHost.connection.address ?? inventoryHost.name,
      settings: inventoryHost.connection, controlPath: controlDirectory + "/%C")
    host = ScriptedHost(
      transport: SSHTransport(
        commandLine: commandLine, become: Become(inventoryHost.connection),
        counter: RoundTripCounter()))
  }

  /// How many programs ran on the host (each one `ssh` run).
  public var roundTrips: Int { host.transport.counter.value }

  public func run(_ command: Command) async throws -> CommandOutput {
    try await host.run(command)
  }

  public func read(_ path: HostPath) async throws -> Data? {
    try await host.read(path)
  }

  public func write(_ file: FileWrite) async throws {
    try await host.write(file)
  }

  public func answer(_ probes: [Probe]) async throws -> [ProbeAnswer] {
    try await host.answer(probes)
  }

  /// Stops the master connection (`ssh -O exit`) and removes the control directory.
  public func close() async {
    let commandLine = host.transport.commandLine
    _ = try? await ProcessRunner().run(commandLine.exitArguments)
    try? FileManager.default.removeItem(atPath: controlDirectory)
  }

  /// `/tmp/runner-ssh.XXXXXX`, mode 0700: short enough for a socket path on every system.
  private static func makeControlDirectory() throws -> String {
    var template = Array("/tmp/runner-ssh.XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }
    }
    guard made != nil else {
      throw ModuleError("cannot create a directory for the ssh control socket in /tmp")
    }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
