import Engine

/// The `[Network]` section of a `.network` unit: a podman network created by a oneshot
/// service. Containers join it with `Network=<name>.network` and reach each other by
/// container name through its DNS.
public struct QuadletNetwork: Sendable, Hashable, Decodable {
  /// `NetworkName=`: the podman network's name; quadlet's default is `systemd-<unit name>`.
  public var networkName: String?
  public var driver: String?
  /// `Subnet=`, `Gateway=`, `IPRange=`: repeated together, one per address range.
  public var subnet: [String] = []
  public var gateway: [String] = []
  public var ipRange: [String] = []
  /// `Internal=`: no route out of the network.
  public var isInternal: Bool?
  public var ipv6: Bool?
  public var disableDNS: Bool?
  public var dns: [String] = []
  public var label: [String: String] = [:]
  /// `Options=`: driver options, `key=value[,key=value…]`.
  public var options: String?
  /// Lines for any other `[Network]` key podman 5.4 knows.
  public var extra: [QuadletEntry] = []

  /// A section with the keys `configure` sets, the others unset.
  public init(_ configure: (inout Self) throws -> Void) rethrows { try configure(&self) }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }

  /// Quadlet keys with a typed property, and that property's JSON name.
  public static var typedKeys: [String: String] { fieldKeys }
}

extension QuadletNetwork: QuadletSection {
  static let sectionName = "Network"

  public init() {}

  /// The `[Network]` keys, in the order they are written.
  static var fields: [QuadletField<Self>] {
    [
      .text("network_name", \.networkName, blanks: false),
      .text("driver", \.driver, blanks: false),
      .lines("subnet", \.subnet, blanks: false),
      .lines("gateway", \.gateway, blanks: false),
      .lines("ip_range", \.ipRange, blanks: false),
      .flag("internal", \.isInternal),
      .flag("ipv6", \.ipv6),
      .flag("disable_dns", \.disableDNS),
      .lines("dns", \.dns, blanks: false),
      .assignments("label", \.label),
      .text("options", \.options, blanks: false),
      .extra(\.extra, supported: supportedKeys),
    ]
  }
}
