import Engine

/// The `ssh` invocation for one host, from its inventory settings. All runs share one
/// multiplexed master connection (`ControlMaster=auto`, `ControlPersist`), so only the first
/// pays for the handshake. Host keys are checked (`StrictHostKeyChecking=yes`) unless the
/// inventory says `host_key_checking: false`.
struct SSHCommandLine: Sendable, Hashable {
  var settings: SSHSettings
  /// The control socket: a directory with a short path (a socket path must fit in ~100
  /// bytes), then `socketName(for:)`.
  var controlPath: String
  /// How long an idle master stays up once the run stopped using it.
  var persist = "60"

  /// The control socket's file name: a hash of the settings that decide what the master's
  /// session trusts, then ssh's `%C` (its hash of host, port and user). A master opened with
  /// `host_key_checking: false`, or another known_hosts file, identity or `ssh_options`, has a
  /// socket of its own, so a stricter run never rides on it. (`become` and `control_persist`
  /// do not change the session: sudo runs per command.)
  static func socketName(for settings: SSHSettings) -> String {
    let parts =
      [
        "host_key_checking=\(settings.hostKeyChecking)",
        "known_hosts_file=\(settings.knownHostsFile ?? "")",
        "identity_file=\(settings.identityFile ?? "")",
      ] + settings.sshOptions
    return StableHash.hex8(parts) + "-%C"
  }

  /// How long `socketName(for:)` is once ssh expanded `%C` (40 hex digits).
  static let socketNameLength = 8 + 1 + 40

  /// Options the user cannot override: they come first, and ssh keeps the first value given.
  var fixedOptions: [String] {
    var options = [
      "BatchMode=yes", "ControlMaster=auto", "ControlPath=\(controlPath)",
      "ControlPersist=\(persist)",
    ]
    if settings.hostKeyChecking {
      options.append("StrictHostKeyChecking=yes")
      if let file = settings.knownHostsFile { options.append("UserKnownHostsFile=\(file)") }
    } else {
      options += ["StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null"]
    }
    if settings.identityFile != nil { options.append("IdentitiesOnly=yes") }
    return options
  }

  /// Defaults the inventory's `ssh_options` may override.
  /// A dead connection is noticed within a minute instead of hanging until TCP gives up.
  static let defaultOptions = [
    "ConnectTimeout=10", "ServerAliveInterval=15", "ServerAliveCountMax=4", "LogLevel=ERROR",
  ]

  private var connectionArguments: [String] {
    var arguments: [String] = []
    for option in fixedOptions + settings.sshOptions + Self.defaultOptions {
      arguments += ["-o", option]
    }
    arguments += ["-p", String(settings.port)]
    if let user = settings.user { arguments += ["-l", user] }
    if let identity = settings.identityFile { arguments += ["-i", identity] }
    return arguments
  }

  /// Runs `remoteCommand` (already quoted for the remote shell) on the host.
  func arguments(running remoteCommand: String) -> [String] {
    ["ssh", "-T"] + connectionArguments + ["--", settings.address, remoteCommand]
  }

  /// Asks the master to exit.
  var exitArguments: [String] {
    ["ssh", "-O", "exit"] + connectionArguments + ["--", settings.address]
  }
}
