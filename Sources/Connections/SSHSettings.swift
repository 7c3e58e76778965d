import Engine

/// What the ssh transport reads for a host: its keys in a host entry, the settings file and
/// the command line (`SSHSettings.keys`), and Ansible's ssh variables, each variable over
/// the entry over the defaults. Host keys are verified unless the inventory explicitly says
/// not to.
public struct SSHSettings: Sendable, Hashable {
  public var address: String
  public var port: Int
  public var user: String?
  public var identityFile: String?
  public var knownHostsFile: String?
  public var hostKeyChecking: Bool
  /// Extra `ssh -o` options, e.g. `ConnectTimeout=5`: the entry's, then the variables', then
  /// the defaults' (ssh keeps an option's first value).
  public var sshOptions: [String]
  /// Seconds the ssh master connection stays up, idle, after the run that opened it, so the
  /// next run skips the handshake (Ansible's `ControlPersist=60s`); 0 closes it with the run.
  public var controlPersist: Int

  /// Ansible's default for its ssh masters.
  public static let defaultControlPersist = 60

  static let keys = [
    "port", "identity_file", "known_hosts_file", "host_key_checking", "ssh_options",
    "control_persist",
  ]

  /// Variables of Ansible's ssh connection that runner has no setting for.
  static let unsupported: [String: String] = [
    "ansible_ssh_pass": "runner logs in with keys only (ansible_ssh_private_key_file, an agent)",
    "ansible_ssh_password":
      "runner logs in with keys only (ansible_ssh_private_key_file, an agent)",
    "ansible_ssh_executable": "runner runs the ssh on PATH",
    "ansible_sftp_extra_args": "runner copies files over its ssh session, not sftp",
    "ansible_scp_extra_args": "runner copies files over its ssh session, not scp",
    "ansible_ssh_transfer_method": "runner copies files over its ssh session",
  ]

  public init(
    address: String, port: Int = 22, user: String? = nil, identityFile: String? = nil,
    knownHostsFile: String? = nil, hostKeyChecking: Bool = true, sshOptions: [String] = [],
    controlPersist: Int = SSHSettings.defaultControlPersist
  ) {
    self.address = address
    self.port = port
    self.user = user
    self.identityFile = identityFile
    self.knownHostsFile = knownHostsFile
    self.hostKeyChecking = hostKeyChecking
    self.sshOptions = sshOptions
    self.controlPersist = controlPersist
  }

  /// `host`'s settings and every problem with them.
  static func read(_ host: InventoryHost) -> (settings: SSHSettings, problems: [Diagnostic]) {
    var reader = TransportOptionReader(host)
    for (name, _) in reader.variables(Array(unsupported.keys)) {
      reader.problem(variable: name, "not supported by runner: \(unsupported[name] ?? "")")
    }
    var settings = SSHSettings(
      address: host.connection.address ?? host.name, user: host.connection.user)
    // The entry's (or default's) value is read first, so its problems come first and are
    // reported even where a variable overrides it.
    let port = reader.int("port", in: 1...65535)
    settings.port =
      reader.variable(
        ["ansible_port", "ansible_ssh_port"],
        problem: { "expected a port number from 1 to 65535, found \($0.compactJSON)" }
      ) { TransportOptionReader.integer($0).flatMap { (1...65535).contains($0) ? $0 : nil } }
      ?? port ?? 22
    let identityFile = reader.string("identity_file")
    settings.identityFile =
      reader.variable(
        ["ansible_ssh_private_key_file", "ansible_private_key_file"],
        problem: { _ in "expected a path" }, TransportOptionReader.text)
      ?? identityFile
    settings.knownHostsFile = reader.string("known_hosts_file")
    let hostKeyChecking = reader.bool("host_key_checking")
    settings.hostKeyChecking =
      reader.variable(
        ["ansible_host_key_checking", "ansible_ssh_host_key_checking"],
        problem: { _ in "expected a boolean" }, TransportOptionReader.boolean)
      ?? hostKeyChecking ?? true
    settings.sshOptions = reader.strings("ssh_options")
    for (name, value) in reader.variables([
      "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_timeout",
      "ansible_timeout",
    ]) {
      if name.hasSuffix("_args") {
        switch SSHArguments.options(value) {
        case .success(let options): settings.sshOptions += options
        case .failure(let error): reader.problem(variable: name, error.message)
        }
      } else if let seconds = TransportOptionReader.integer(value), seconds > 0 {
        settings.sshOptions.append("ConnectTimeout=\(seconds)")
      } else {
        reader.problem(variable: name, "expected a number of seconds")
      }
    }
    settings.sshOptions += reader.defaultStrings("ssh_options")
    settings.controlPersist =
      reader.int("control_persist", in: 0...86400) ?? SSHSettings.defaultControlPersist
    return (settings, reader.problems)
  }
}
