public import Engine

/// `connection: ssh` (or Ansible's `smart`): the system OpenSSH client, one multiplexed
/// master per host (`SSHConnection`), its settings read by `SSHSettings`.
public struct SSHTransport: Transport {
  public init() {}

  public var name: TransportName { "ssh" }
  public var aliases: [TransportName] { ["smart"] }
  public var settingKeys: [String] { SSHSettings.keys }

  public func problems(in host: InventoryHost) -> [Diagnostic] {
    SSHSettings.read(host).problems
  }

  public func connect(to host: InventoryHost) throws -> any Connection {
    try SSHConnection(to: host)
  }
}
