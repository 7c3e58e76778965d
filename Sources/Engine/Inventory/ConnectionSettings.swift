/// How to reach a host, as far as the engine needs to know: which transport, the address and
/// user (`ansible_host`, `ansible_user`), and `become`, which a play may override. Everything
/// else is the transport's own (`options`), read and checked by the transport itself, so a
/// new transport needs nothing here.
public struct ConnectionSettings: Sendable, Hashable {
  public var transport: TransportName
  public var address: String?
  public var user: String?
  /// Run commands through `sudo` (Ansible's `become`).
  public var become: Bool
  public var becomeUser: String?
  /// The transport's settings as written, each where it was set.
  public var options: TransportOptions

  public init(
    transport: TransportName, address: String? = nil, user: String? = nil,
    become: Bool = false, becomeUser: String? = nil, options: TransportOptions = TransportOptions()
  ) {
    self.transport = transport
    self.address = address
    self.user = user
    self.become = become
    self.becomeUser = becomeUser
    self.options = options
  }

  /// The machine runner runs on.
  public static let local = ConnectionSettings(transport: "local")
}
