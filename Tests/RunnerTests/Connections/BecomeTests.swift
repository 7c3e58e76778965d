import Engine
import Foundation
import Testing

@testable import Connections

/// `become` through `sudo -n -u nobody`, locally and over ssh: commands, reads, writes and
/// batches all run as the other user. Needs root (sudo without a password) and sudo itself.
@Suite(.enabled(if: Sudo.canBecomeOtherUsers, "needs root and /usr/bin/sudo"))
struct BecomeTests {
  static let asNobody = ConnectionSettings(transport: "local", become: true, becomeUser: "nobody")

  /// Checks one connection that runs as `nobody`, in a directory anyone may write to.
  static func checkRunsAsNobody(_ connection: any AnswersProbes, in directory: String)
    async throws
  {
    #expect(try await connection.run(["id", "-un"]).stdout == "nobody\n")
    let command = Command(
      ["sh", "-c", "pwd; printf %s \"$V\""], environment: ["V": "a 'b' $(c)"],
      directory: directory)
    #expect(try await connection.run(command).stdout == directory + "\na 'b' $(c)")
    let path = HostPath(directory + "/written by nobody")
    try await connection.write(FileWrite(Data("x".utf8), to: path, mode: 0o640))
    let attributes = try FileManager.default.attributesOfItem(atPath: path.rawValue)
    #expect(attributes[.ownerAccountName] as? String == "nobody")
    #expect(try await connection.read(path) == Data("x".utf8))
    let answers = try await connection.answer([.file(path), .command(["id", "-un"])])
    #expect(
      answers == [.file(Data("x".utf8)), .command(CommandOutput(exitCode: 0, stdout: "nobody\n"))])
  }

  /// A temp directory `nobody` may write to (sticky, like /tmp).
  static func withSharedDirectory(_ body: (String) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
      try FileManager.default.setAttributes(
        [.posixPermissions: 0o1777], ofItemAtPath: directory)
      try await body(directory)
    }
  }

  @Test func `a local host with become runs everything as the other user`() async throws {
    try await Self.withSharedDirectory { directory in
      try await Self.checkRunsAsNobody(LocalConnection(settings: Self.asNobody), in: directory)
    }
  }

  @Test(.enabled(if: LoopbackSSHServer.isAvailable, "needs /usr/sbin/sshd"))
  func `an ssh host with become runs everything as the other user`() async throws {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: server.directory.path)
    let ssh = try SSHConnection(to: server.host(become: true, becomeUser: "nobody"))
    do {
      try await Self.withSharedDirectory { directory in
        try await Self.checkRunsAsNobody(ssh, in: directory)
      }
      await ssh.close()
    } catch {
      await ssh.close()
      throw error
    }
  }
}

/// Both connections answer probes in one operation.
protocol AnswersProbes: Connection {
  func answer(_ probes: [HostRead]) async throws -> [ReadAnswer]
}

extension LocalConnection: AnswersProbes {}
extension SSHConnection: AnswersProbes {}
