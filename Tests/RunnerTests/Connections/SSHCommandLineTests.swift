import Engine
import Foundation
import Testing

@testable import Connections

#if canImport(Glibc)
  import Glibc
#endif

/// The `ssh` argv built from inventory settings, and `become`'s `sudo` prefix.
struct SSHCommandLineTests {
  func commandLine(_ settings: SSHSettings) -> SSHCommandLine {
    SSHCommandLine(settings: settings, controlPath: "/tmp/runner-ssh.x/%C")
  }

  func options(_ arguments: [String]) -> [String] {
    zip(arguments, arguments.dropFirst()).filter { $0.0 == "-o" }.map(\.1)
  }

  @Test func `host keys are checked by default against the inventory's known_hosts`() {
    let settings = SSHSettings(address: "db1", port: 2222, user: "deploy", knownHostsFile: "/k")
    let arguments = commandLine(settings).arguments(running: "'true'")
    let options = options(arguments)
    #expect(options.contains("StrictHostKeyChecking=yes"))
    #expect(options.contains("UserKnownHostsFile=/k"))
    #expect(options.contains("BatchMode=yes"))
    #expect(options.contains("ControlMaster=auto"))
    #expect(options.contains("ControlPath=/tmp/runner-ssh.x/%C"))
    #expect(options.contains { $0.hasPrefix("ControlPersist=") })
    #expect(arguments.suffix(3) == ["--", "db1", "'true'"])
    #expect(arguments.contains("2222") && arguments.contains("deploy"))
  }

  @Test func `the master persists as long as asked`() {
    var line = commandLine(SSHSettings(address: "db1"))
    line.persist = "45"
    #expect(options(line.arguments(running: "")).contains("ControlPersist=45"))
    #expect(SSHSettings(address: "db1").controlPersist == 60)
  }

  @Test func `only host_key_checking false relaxes the check`() {
    let relaxed = options(
      commandLine(SSHSettings(address: "db1", hostKeyChecking: false)).arguments(running: ""))
    #expect(relaxed.contains("StrictHostKeyChecking=no"))
    #expect(relaxed.contains("UserKnownHostsFile=/dev/null"))
  }

  @Test func `inventory ssh options cannot override the fixed ones`() {
    let settings = SSHSettings(
      address: "db1", sshOptions: ["StrictHostKeyChecking=no", "ConnectTimeout=3"])
    let options = options(commandLine(settings).arguments(running: ""))
    let strict = options.firstIndex { $0.hasPrefix("StrictHostKeyChecking=") }
    #expect(strict.map { options[$0] } == "StrictHostKeyChecking=yes")
    let timeout = options.firstIndex { $0.hasPrefix("ConnectTimeout=") }
    #expect(timeout.map { options[$0] } == "ConnectTimeout=3")
  }

  /// A master opened with laxer settings must not serve a stricter run: the socket's name
  /// changes with every setting that decides what the session trusts.
  @Test func `the control socket is named by the settings the session trusts`() {
    let strict = SSHSettings(address: "db1", knownHostsFile: "/k")
    let strictName = SSHCommandLine.socketName(for: strict)
    #expect(strictName == "60c15e05-%C")  // pinned: the next run must find the same socket
    var variants: [SSHSettings] = []
    for change: (inout SSHSettings) -> Void in [
      { $0.hostKeyChecking = false }, { $0.knownHostsFile = "/other" },
      { $0.knownHostsFile = nil }, { $0.identityFile = "/id" },
      { $0.sshOptions = ["ProxyJump=bastion"] },
    ] {
      var settings = strict
      change(&settings)
      variants.append(settings)
    }
    let names = variants.map(SSHCommandLine.socketName(for:))
    #expect(Set(names + [strictName]).count == variants.count + 1, "\(names)")
    // Settings that do not change the session share the master (`become` is not even an ssh
    // setting: sudo runs per command).
    var same = strict
    same.controlPersist = 5
    #expect(SSHCommandLine.socketName(for: same) == strictName)
  }

  @Test func `a connection's socket is in its control directory under that name`() throws {
    let host = InventoryHost(
      name: "db1", connection: .ssh(hostKeyChecking: false, controlPersist: 0))
    let connection = try SSHConnection(to: host)
    let settings = SSHSettings.read(host).settings
    #expect(!settings.hostKeyChecking && settings.controlPersist == 0)
    #expect(
      connection.controlPath
        == connection.controlDirectory + "/" + SSHCommandLine.socketName(for: settings))
    // `%C` expanded to its 40 characters, the path still fits where ssh binds it.
    #expect(connection.controlPath.utf8.count - 2 + 40 <= SSHConnection.longestControlPath)
    #if os(Linux)
      #expect(SSHConnection.longestControlPath == 108 - 1 - 17)  // sun_path is 108 bytes
    #endif
    try? FileManager.default.removeItem(atPath: connection.controlDirectory)
  }

  @Test func `become runs through sudo without a prompt`() {
    let plain = Become(ConnectionSettings(transport: "ssh", become: true))
    let asUser = Become(ConnectionSettings(transport: "ssh", become: true, becomeUser: "postgres"))
    #expect(Become(ConnectionSettings(transport: "ssh")) == nil)
    #expect(plain?.wrap(["id"]) == ["sudo", "-n", "--", "id"])
    #expect(asUser?.wrap(["id"]) == ["sudo", "-n", "-u", "postgres", "--", "id"])
  }
}
