import Engine
import Foundation
import Testing

@testable import Connections

/// `SSHConnection` against a real sshd on 127.0.0.1 (started per test).
@Suite(.enabled(if: LoopbackSSHServer.isAvailable, "needs /usr/sbin/sshd (Debian: openssh-server)"))
struct SSHConnectionTests {
  @Test(arguments: HostileValues.strings)
  func `hostile arguments arrive intact`(value: String) async throws {
    try await withLoopbackSSH { _, ssh in
      let output = try await ssh.run(["printf", "%s", value])
      #expect(output.exitCode == 0)
      #expect(output.stdout == value)
    }
  }

  @Test func `hostile file names and contents are written and read back`() async throws {
    try await withLoopbackSSH { server, ssh in
      let directory = HostPath(server.directory.appending(path: "files dir $(x)").path)
      try FileManager.default.createDirectory(
        atPath: directory.rawValue, withIntermediateDirectories: true)
      for name in HostileValues.fileNames {
        let path = directory.appending(name)
        let contents = Data(("content of " + name + "\n" + HostileValues.strings.joined()).utf8)
        try await ssh.write(FileWrite(contents, to: path, mode: 0o640))
        #expect(try await ssh.read(path) == contents)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path.rawValue)) == contents)
        #expect(try LocalTree.mode(of: path.rawValue) == 0o640)
      }
      let names = try FileManager.default.contentsOfDirectory(atPath: directory.rawValue)
      #expect(Set(names) == Set(HostileValues.fileNames))
      #expect(!FileManager.default.fileExists(atPath: "/tmp/runner-pwned"))
    }
  }

  @Test func `read tells a missing file from an empty one`() async throws {
    try await withLoopbackSSH { server, ssh in
      let empty = server.directory.appending(path: "empty").path
      _ = FileManager.default.createFile(atPath: empty, contents: Data())
      let emptyContents = try await ssh.read(HostPath(empty))
      let missingContents = try await ssh.read(
        HostPath(server.directory.appending(path: "nope").path))
      #expect(emptyContents == Data())
      #expect(missingContents == nil)
    }
  }

  @Test func `binary content survives a write and a read`() async throws {
    try await withLoopbackSSH { server, ssh in
      let path = HostPath(server.directory.appending(path: "blob").path)
      let bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
      try await ssh.write(FileWrite(bytes, to: path))
      #expect(try await ssh.read(path) == bytes)
    }
  }

  @Test func `read, write, command and a batch of ten probes are one round trip each`()
    async throws
  {
    try await withLoopbackSSH { server, ssh in
      let path = HostPath(server.directory.appending(path: "counted").path)
      var before = ssh.roundTrips
      try await ssh.write(FileWrite(Data("x".utf8), to: path, mode: 0o600))
      #expect(ssh.roundTrips - before == 1)
      before = ssh.roundTrips
      _ = try await ssh.read(path)
      #expect(ssh.roundTrips - before == 1)
      before = ssh.roundTrips
      _ = try await ssh.run(["true"])
      #expect(ssh.roundTrips - before == 1)
      before = ssh.roundTrips
      let probes: [HostRead] = (0..<5).flatMap { index -> [HostRead] in
        [.file(path.appending("../counted")), .command(["echo", "probe \(index)"])]
      }
      let answers = try await ssh.answer(probes)
      #expect(ssh.roundTrips - before == 1)
      #expect(answers.count == 10)
    }
  }

  @Test func `a batch answers files and commands in order`() async throws {
    try await withLoopbackSSH { server, ssh in
      let present = HostPath(server.directory.appending(path: "present file").path)
      try Data("hello\n".utf8).write(to: URL(fileURLWithPath: present.rawValue))
      let probes: [HostRead] = [
        .file(present),
        .file(HostPath(server.directory.appending(path: "absent").path)),
        .command(["sh", "-c", "printf out; printf err >&2; exit 3"]),
        .command(Command(["cat"], input: Data("piped $(in)".utf8))),
        .command(
          Command(
            ["sh", "-c", "pwd; printf %s \"$X\""], environment: ["X": "a b'c"],
            directory: server.directory.path)),
        .command(["printf", "%s", HostileValues.strings.joined(separator: "\n")]),
      ]
      let answers = try await ssh.answer(probes)
      #expect(answers.count == probes.count)
      #expect(answers[0] == .file(Data("hello\n".utf8)))
      #expect(answers[1] == .file(nil))
      // Standard error is kept as text, ending in one newline (PrefetchScript).
      #expect(answers[2] == .command(CommandOutput(exitCode: 3, stdout: "out", stderr: "err\n")))
      #expect(answers[3] == .command(CommandOutput(exitCode: 0, stdout: "piped $(in)")))
      #expect(
        answers[4]
          == .command(CommandOutput(exitCode: 0, stdout: server.directory.path + "\na b'c")))
      #expect(
        answers[5]
          == .command(
            CommandOutput(exitCode: 0, stdout: HostileValues.strings.joined(separator: "\n"))))
    }
  }

  @Test func `environment, directory and stdin reach the command`() async throws {
    try await withLoopbackSSH { server, ssh in
      let command = Command(
        ["sh", "-c", "pwd; printf '%s|' \"$GREETING\"; cat"], input: Data("in put\n".utf8),
        environment: ["GREETING": "hi $(there) `x`"], directory: server.directory.path)
      let output = try await ssh.run(command)
      #expect(output.stdout == server.directory.path + "\nhi $(there) `x`|in put\n")
    }
  }

  @Test func `large output on both streams does not deadlock`() async throws {
    try await withLoopbackSSH { _, ssh in
      let output = try await ssh.run([
        "sh", "-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2",
      ])
      #expect(output.standardOutput.count == 3_000_000)
      #expect(output.standardError.count == 3_000_000)
    }
  }

  @Test func `a failed validation leaves the destination untouched`() async throws {
    try await withLoopbackSSH { server, ssh in
      let path = HostPath(server.directory.appending(path: "checked.conf").path)
      try Data("old\n".utf8).write(to: URL(fileURLWithPath: path.rawValue))
      let write = FileWrite(
        Data("new\n".utf8), to: path,
        validate: ["sh", "-c", "echo rejecting \"$1\"; echo bad >&2; exit 4", "sh", "%s"])
      let error = await #expect(throws: ValidationFailed.self) { try await ssh.write(write) }
      #expect(error?.output.exitCode == 4)
      #expect(error?.output.stdout.hasPrefix("rejecting \(server.directory.path)/.runner.") == true)
      #expect(error?.output.stderr == "bad\n")
      #expect(error?.description.hasPrefix("failed to validate") == true)
      #expect(try String(contentsOfFile: path.rawValue, encoding: .utf8) == "old\n")
      #expect(
        try LocalTree.names(in: server.directory.path).allSatisfy { !$0.hasPrefix(".runner") })
    }
  }

  @Test func `a passing validation sees the new content at the temp path`() async throws {
    try await withLoopbackSSH { server, ssh in
      let path = HostPath(server.directory.appending(path: "ok.conf").path)
      let write = FileWrite(
        Data("valid\n".utf8), to: path, validate: ["grep", "-q", "valid", "%s"])
      try await ssh.write(write)
      #expect(try String(contentsOfFile: path.rawValue, encoding: .utf8) == "valid\n")
    }
  }

  @Test func `a missing parent directory is an error`() async throws {
    try await withLoopbackSSH { server, ssh in
      let parent = server.directory.appending(path: "missing").path
      let error = await #expect(throws: ModuleError.self) {
        try await ssh.write(FileWrite(Data(), to: HostPath(parent + "/file")))
      }
      #expect(error?.message == "Destination directory \(parent) does not exist")
    }
  }

  @Test func `an existing file keeps its mode when none is given`() async throws {
    try await withLoopbackSSH { server, ssh in
      let path = server.directory.appending(path: "kept").path
      _ = FileManager.default.createFile(
        atPath: path, contents: Data("a".utf8), attributes: [.posixPermissions: 0o751])
      try await ssh.write(FileWrite(Data("b".utf8), to: HostPath(path)))
      #expect(try LocalTree.mode(of: path) == 0o751)
    }
  }
}

/// The master connection: kept for the next run (`control_persist`, as Ansible's
/// ControlPersist), or closed with the run.
@Suite(.enabled(if: LoopbackSSHServer.isAvailable, "needs /usr/sbin/sshd (Debian: openssh-server)"))
struct SSHMasterPersistenceTests {
  /// `ssh -O <operation>` against the control socket `connection` to `server` uses.
  func control(_ operation: String, _ server: LoopbackSSHServer, of connection: SSHConnection)
    async throws -> CommandOutput
  {
    try await ProcessRunner().run([
      "ssh", "-O", operation, "-o", "ControlPath=\(connection.controlPath)", "-p",
      String(server.port), "-l", server.user, "--", "127.0.0.1",
    ])
  }

  @Test func `a kept master outlives the run and serves the next one without a new login`()
    async throws
  {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let first = try SSHConnection(to: server.host(controlPersist: 30))
    #expect(first.controlDirectory.hasSuffix("/.runner/cp"))
    #expect(try await first.run(["true"]).exitCode == 0)
    await first.close()
    let check = try await control("check", server, of: first)
    #expect(check.exitCode == 0, "\(check.stderr)")
    // With the listener gone, only the kept master can still reach the host.
    server.stopListening()
    let second = try SSHConnection(to: server.host(controlPersist: 30))
    #expect(try await second.run(["echo", "again"]).stdout == "again\n")
    _ = try await control("exit", server, of: first)
  }

  /// A master kept by a run that did not check host keys is not used by one that does.
  @Test func `a master opened without host key checking does not serve a strict run`()
    async throws
  {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let lax = try SSHConnection(to: server.host(hostKeyChecking: false, controlPersist: 30))
    #expect(try await lax.run(["true"]).exitCode == 0)
    await lax.close()
    let strict = try SSHConnection(to: server.host(controlPersist: 30))
    #expect(strict.controlPath != lax.controlPath)
    #expect(try await control("check", server, of: strict).exitCode != 0)
    #expect(try await strict.run(["true"]).exitCode == 0)
    #expect(try await control("check", server, of: strict).exitCode == 0)
    for connection in [lax, strict] { _ = try await control("exit", server, of: connection) }
  }

  @Test func `control_persist 0 closes the master and its directory with the run`() async throws {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let connection = try SSHConnection(to: server.host(controlPersist: 0))
    #expect(try await connection.run(["true"]).exitCode == 0)
    await connection.close()
    #expect(!FileManager.default.fileExists(atPath: connection.controlDirectory))
    let check = try await control("check", server, of: connection)
    #expect(check.exitCode != 0)
  }
}

/// Host keys: checked by default, a wrong or unknown key makes the host unreachable with a
/// message that says so; only `host_key_checking: false` relaxes it.
@Suite(.enabled(if: LoopbackSSHServer.isAvailable, "needs /usr/sbin/sshd (Debian: openssh-server)"))
struct SSHHostKeyTests {
  @Test func `a wrong known host key makes the host unreachable with a clear message`()
    async throws
  {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let impostor = server.directory.appending(path: "impostor_key").path
    try await LoopbackSSHServer.generateKey(impostor)
    try server.writeKnownHosts(publicKeyFile: impostor + ".pub")
    let ssh = try SSHConnection(to: server.host())
    let error = await #expect(throws: HostUnreachable.self) { try await ssh.run(["true"]) }
    #expect(error?.message.contains("host key verification failed for 127.0.0.1") == true)
    #expect(error?.message.contains(server.knownHosts) == true)
    await ssh.close()
  }

  @Test func `an unknown host key is refused`() async throws {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let empty = server.directory.appending(path: "empty_known_hosts").path
    _ = FileManager.default.createFile(atPath: empty, contents: Data())
    let ssh = try SSHConnection(to: server.host(knownHostsFile: empty))
    let error = await #expect(throws: HostUnreachable.self) { try await ssh.read("/etc/hostname") }
    #expect(error?.message.contains("host key verification failed") == true)
    await ssh.close()
  }

  @Test func `host key checking off accepts an unknown key`() async throws {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let empty = server.directory.appending(path: "empty_known_hosts").path
    _ = FileManager.default.createFile(atPath: empty, contents: Data())
    let ssh = try SSHConnection(to: server.host(hostKeyChecking: false, knownHostsFile: empty))
    #expect(try await ssh.run(["echo", "in"]).stdout == "in\n")
    #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
    await ssh.close()
  }

  @Test func `a port nobody listens on is unreachable`() async throws {
    let port = try LoopbackSSHServer.freePort()
    let host = InventoryHost(
      name: "closed",
      connection: .ssh(
        address: "127.0.0.1", port: port, sshOptions: ["ConnectTimeout=5"]))
    let ssh = try SSHConnection(to: host)
    let error = await #expect(throws: HostUnreachable.self) { try await ssh.run(["true"]) }
    #expect(error?.message.contains("Connection refused") == true)
    #expect(error?.message.contains("127.0.0.1 (port \(port))") == true)
    await ssh.close()
  }
}
