/// A way to reach hosts (`local`, `ssh`, `podman`): a plug-in as modules and roles are. The
/// engine keeps a host's transport name and its raw settings (`ConnectionSettings.options`);
/// the transport reads them strictly, both when the inventory is loaded (`problems(in:)`, so
/// a bad setting stops the run before any host is touched) and when it connects.
/// Transports are found in a `TransportRegistry`.
public protocol Transport: Sendable {
  var name: TransportName { get }
  /// Other names for it (`smart` for ssh, as Ansible has).
  var aliases: [TransportName] { get }
  /// The keys of its own a JSON inventory's host entry, the settings file and the command
  /// line may set (`port`, `ssh_options`, …); any other key is refused.
  var settingKeys: [String] { get }
  /// Every problem with `host`'s settings, each located where the value was set.
  func problems(in host: InventoryHost) -> [Diagnostic]
  /// A connection to `host`, whose settings passed `problems(in:)`; nothing connects until
  /// its first use.
  func connect(to host: InventoryHost) throws -> any Connection
}

extension Transport {
  public var aliases: [TransportName] { [] }
}
