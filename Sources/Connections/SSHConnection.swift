public import Engine
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A remote host reached through the system OpenSSH client, one multiplexed master per host.
/// Every read, write, command and batch of probes is one `ssh` run (one round trip); values
/// travel as quoted argv or positional parameters of fixed scripts, never as script text.
public final class SSHConnection: ClosingConnection, ScriptedConnection {
  public let scriptedHost: ScriptedHost<SSHChannel>
  /// Holds the control socket: the user's shared `~/.runner/cp`, where masters outlive the
  /// run, or a private directory that `close()` removes with the master.
  let controlDirectory: String
  /// Whether the master stays up after the run (`control_persist` > 0).
  let keepsMaster: Bool

  /// Prepares the connection (the directory for the control socket); nothing connects
  /// until the first use. `address` defaults to the inventory's `address`, else the host name.
  ///
  /// As Ansible does, the master is left running for `control_persist` seconds after the run,
  /// so the next run on this machine skips the ssh handshake: its cost is most of an
  /// unchanged run. The sockets are in `~/.runner/cp` (each named by a hash of the host-key,
  /// identity and ssh options settings and ssh's hash of host, port and user; only this
  /// user's processes may connect); with `control_persist: 0`, or where that path would be too
  /// long for a socket, each run has its own and closes it.
  public convenience init(to inventoryHost: InventoryHost) throws {
    try self.init(
      SSHSettings.read(inventoryHost).settings, become: Become(inventoryHost.connection))
  }

  init(_ settings: SSHSettings, become: Become?) throws {
    let shared = settings.controlPersist > 0 ? SSHConnection.sharedControlDirectory() : nil
    keepsMaster = shared != nil
    controlDirectory = try shared ?? SSHConnection.makeControlDirectory()
    let commandLine = SSHCommandLine(
      settings: settings,
      controlPath: controlDirectory + "/" + SSHCommandLine.socketName(for: settings),
      persist: String(
        keepsMaster ? settings.controlPersist : SSHSettings.defaultControlPersist))
    scriptedHost = ScriptedHost(
      channel: SSHChannel(
        commandLine: commandLine, become: become, counter: RoundTripCounter()))
  }

  /// The control socket's path, `%C` not expanded.
  var controlPath: String { scriptedHost.channel.commandLine.controlPath }

  /// Stops the master connection (`ssh -O exit`) and removes the control directory, unless
  /// the master is kept for the next run.
  public func close() async {
    if keepsMaster { return }
    let commandLine = scriptedHost.channel.commandLine
    _ = try? await ProcessRunner().run(commandLine.exitArguments)
    try? FileManager.default.removeItem(atPath: controlDirectory)
  }

  /// `~/.runner/cp`, made with mode 0700 if missing; nil when there is no home directory or
  /// a socket path in it would be too long.
  private static func sharedControlDirectory() -> String? {
    let home = FileManager.default.homeDirectoryForCurrentUser.path
    guard home.hasPrefix("/") else { return nil }
    let runnerDirectory = (home == "/" ? "" : home) + "/.runner"
    let directory = runnerDirectory + "/cp"
    guard directory.utf8.count + 1 + SSHCommandLine.socketNameLength <= longestControlPath
    else { return nil }
    for path in [runnerDirectory, directory] {
      if mkdir(path, 0o700) != 0 && errno != EEXIST { return nil }
    }
    var status = stat()
    guard lstat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR,
      status.st_uid == geteuid()
    else { return nil }
    return directory
  }

  /// The longest socket path ssh can listen on: `sun_path` with its NUL (108 bytes on Linux,
  /// 104 on macOS), less the `.` and 16 random characters ssh appends to the path it binds
  /// first and then renames into place.
  static let longestControlPath = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 - 17

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
