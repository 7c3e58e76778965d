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
    settings.port = reader.int("port", in: 1...65535) ?? 22
    for (name, value) in reader.variables(["ansible_port", "ansible_ssh_port"]) {
      if let port = TransportOptionReader.integer(value), (1...65535).contains(port) {
        settings.port = port
      } else {
        reader.problem(
          variable: name, "expected a port number from 1 to 65535, found \(value.compactJSON)")
      }
    }
    settings.identityFile = reader.string("identity_file")
    for (name, value) in reader.variables([
      "ansible_ssh_private_key_file", "ansible_private_key_file",
    ]) {
      if let path = TransportOptionReader.text(value) {
        settings.identityFile = path
      } else {
        reader.problem(variable: name, "expected a path")
      }
    }
    settings.knownHostsFile = reader.string("known_hosts_file")
    settings.hostKeyChecking = reader.bool("host_key_checking") ?? true
    for (name, value) in reader.variables([
      "ansible_host_key_checking", "ansible_ssh_host_key_checking",
    ]) {
      if let flag = TransportOptionReader.boolean(value) {
        settings.hostKeyChecking = flag
      } else {
        reader.problem(variable: name, "expected a boolean")
      }
    }
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
