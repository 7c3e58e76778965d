/// A host as the inventory describes it: its name, how to reach it, its variables.
public struct InventoryHost: Sendable, Hashable, CustomStringConvertible {
  public var name: String
  public var connection: ConnectionSettings
  /// Variables from the host's groups (all, then each group in order) and then its own.
  public var groupVariables: [String: JSONValue]
  public var hostVariables: [String: JSONValue]
  /// Groups this host belongs to, `all` first.
  public var groups: [String]
  /// Where each inventory variable of this host was set (file and JSON path of the winning
  /// value), so a bad value is reported where the operator can fix it.
  public var variableSources: [String: SourceLocation] = [:]

  public init(
    name: String, connection: ConnectionSettings = .local,
    groupVariables: [String: JSONValue] = [:],
    hostVariables: [String: JSONValue] = [:], groups: [String] = ["all"]
  ) {
    self.name = name
    self.connection = connection
    self.groupVariables = groupVariables
    self.hostVariables = hostVariables
    self.groups = groups
  }

  public var description: String { name }
}

/// How to reach a host. Host keys are verified unless the inventory explicitly says not to.
public struct ConnectionSettings: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case local, ssh }

  public var kind: Kind
  public var address: String?
  public var port: Int
  public var user: String?
  public var identityFile: String?
  public var knownHostsFile: String?
  public var hostKeyChecking: Bool
  /// Run commands through `sudo` (Ansible's `become`).
  public var become: Bool
  public var becomeUser: String?
  /// Extra `ssh -o` options, e.g. `ConnectTimeout=5`.
  public var sshOptions: [String]
  /// Seconds the ssh master connection stays up, idle, after the run that opened it, so the
  /// next run skips the handshake (Ansible's `ControlPersist=60s`); 0 closes it with the run.
  public var controlPersist: Int

  public init(
    kind: Kind, address: String? = nil, port: Int = 22, user: String? = nil,
    identityFile: String? = nil, knownHostsFile: String? = nil, hostKeyChecking: Bool = true,
    become: Bool = false, becomeUser: String? = nil, sshOptions: [String] = [],
    controlPersist: Int = ConnectionSettings.defaultControlPersist
  ) {
    self.kind = kind
    self.address = address
    self.port = port
    self.user = user
    self.identityFile = identityFile
    self.knownHostsFile = knownHostsFile
    self.hostKeyChecking = hostKeyChecking
    self.become = become
    self.becomeUser = becomeUser
    self.sshOptions = sshOptions
    self.controlPersist = controlPersist
  }

  public static let local = ConnectionSettings(kind: .local)
  /// Ansible's default for its ssh masters.
  public static let defaultControlPersist = 60
}

/// Makes the connection for a host; the CLI supplies the real one, tests a fake.
public protocol ConnectionFactory: Sendable {
  func connection(to host: InventoryHost) async throws -> any Connection
  /// Closes every connection made (ssh control masters).
  func closeAll() async
}
