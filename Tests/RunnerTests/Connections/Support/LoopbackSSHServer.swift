import Engine
import Foundation

@testable import Connections

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A real `sshd` for one test, listening on 127.0.0.1 only, on a free port, with its own host
/// key, one authorized client key, and a known_hosts file naming the host key, so strict host
/// key checking is exercised. Everything lives in a private temp directory.
final class LoopbackSSHServer {
  static let sshdPath = "/usr/sbin/sshd"

  /// Tests that need it are enabled only when the OpenSSH server and client are installed.
  static var isAvailable: Bool {
    let manager = FileManager.default
    return manager.isExecutableFile(atPath: sshdPath)
      && ["ssh", "ssh-keygen"].allSatisfy { tool in
        ["/usr/bin", "/bin", "/usr/local/bin"].contains {
          manager.isExecutableFile(atPath: "\($0)/\(tool)")
        }
      }
  }

  let directory: URL
  let port: Int
  let clientKey: String
  let knownHosts: String
  let user: String
  private let process: Process

  private init(directory: URL, port: Int, process: Process, user: String) {
    self.directory = directory
    self.port = port
    self.process = process
    self.user = user
    clientKey = directory.appending(path: "client_key").path
    knownHosts = directory.appending(path: "known_hosts").path
  }

  /// Starts a server and waits until it accepts connections.
  static func start() async throws -> LoopbackSSHServer {
    let directory = FileManager.default.temporaryDirectory.appending(
      path: "runner-sshd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try await generateKey(directory.appending(path: "host_key").path)
    try await generateKey(directory.appending(path: "client_key").path)
    try FileManager.default.copyItem(
      at: directory.appending(path: "client_key.pub"),
      to: directory.appending(path: "authorized_keys"))
    if getuid() == 0 {
      // sshd refuses to start as root without its privilege separation directory.
      try FileManager.default.createDirectory(
        atPath: "/run/sshd", withIntermediateDirectories: true)
    }
    let user = ProcessInfo.processInfo.userName
    for _ in 0..<5 {
      let port = try freePort()
      let process = try launch(in: directory, port: port)
      if await waitUntilListening(port: port, process: process) {
        let server = LoopbackSSHServer(
          directory: directory, port: port, process: process, user: user)
        try server.writeKnownHosts(publicKeyFile: directory.appending(path: "host_key.pub").path)
        return server
      }
      process.terminate()
    }
    let log =
      (try? String(contentsOf: directory.appending(path: "sshd.log"), encoding: .utf8)) ?? ""
    throw ModuleError("sshd did not start: \(log)")
  }

  /// Records `publicKeyFile` as the server's key in known_hosts (a wrong one, for some tests).
  func writeKnownHosts(publicKeyFile: String) throws {
    let key = try String(contentsOfFile: publicKeyFile, encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    try "[127.0.0.1]:\(port) \(key)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
  }

  /// An inventory host that reaches this server. Its master closes with the connection unless
  /// `controlPersist` says otherwise: a master kept from an earlier test's server on a port
  /// the kernel hands out again would answer for a server that is gone.
  func host(
    name: String = "loopback", hostKeyChecking: Bool = true, knownHostsFile: String? = nil,
    become: Bool = false, becomeUser: String? = nil, controlPersist: Int = 0
  ) -> InventoryHost {
    InventoryHost(
      name: name,
      connection: .ssh(
        address: "127.0.0.1", port: port, user: user, identityFile: clientKey,
        knownHostsFile: knownHostsFile ?? knownHosts, hostKeyChecking: hostKeyChecking,
        become: become, becomeUser: becomeUser, controlPersist: controlPersist))
  }

  /// Stops accepting connections; sessions already open (a kept master's) go on.
  func stopListening() {
    process.terminate()
  }

  /// Stops the server (SIGTERM, not waited for: nothing must block a test's thread).
  func stop() {
    process.terminate()
    try? FileManager.default.removeItem(at: directory)
  }

  static func generateKey(_ path: String) async throws {
    let output = try await ProcessRunner().run([
      "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "runner-test", "-f", path,
    ])
    guard output.succeeded else {
      throw ModuleError("ssh-keygen failed for \(path): \(output.stderr)")
    }
  }

  private static func launch(in directory: URL, port: Int) throws -> Process {
    let config = """
      ListenAddress 127.0.0.1
      Port \(port)
      HostKey \(directory.appending(path: "host_key").path)
      AuthorizedKeysFile \(directory.appending(path: "authorized_keys").path)
      PidFile none
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PubkeyAuthentication yes
      PermitRootLogin prohibit-password
      UsePAM no
      StrictModes no
      LogLevel ERROR

      """
    let configPath = directory.appending(path: "sshd_config")
    try config.write(to: configPath, atomically: true, encoding: .utf8)
    let log = directory.appending(path: "sshd.log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sshdPath)
    process.arguments = ["-D", "-e", "-f", configPath.path]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: log)
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
    return process
  }

  private static func waitUntilListening(port: Int, process: Process) async -> Bool {
    for _ in 0..<200 {
      if !process.isRunning { return false }
      if accepts(port: port) { return true }
      try? await Task.sleep(for: .milliseconds(25))
    }
    return false
  }

  private static func accepts(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = loopback(port: port)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    return result == 0
  }

  /// A port the kernel just handed out (bound to port 0, then released).
  static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw ModuleError("socket() failed") }
    defer { close(descriptor) }
    var address = loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard bound else { throw ModuleError("cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }
}

/// Runs `body` against a fresh loopback sshd and an `SSHConnection` to it, then closes the
/// connection's master and stops the server, whatever happened.
func withLoopbackSSH(
  _ body: (LoopbackSSHServer, SSHConnection) async throws -> Void
) async throws {
  let server = try await LoopbackSSHServer.start()
  defer { server.stop() }
  let connection = try SSHConnection(to: server.host())
  do {
    try await body(server, connection)
    await connection.close()
  } catch {
    await connection.close()
    throw error
  }
}
