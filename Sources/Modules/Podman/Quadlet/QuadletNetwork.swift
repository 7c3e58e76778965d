import Engine

/// The `[Network]` section of a `.network` unit: a podman network created by a oneshot
/// service. Containers join it with `Network=<name>.network` and reach each other by
/// container name through its DNS.
public struct QuadletNetwork: Sendable, Hashable, Decodable {
  /// `NetworkName=`: the podman network's name; quadlet's default is `systemd-<unit name>`.
  public var networkName: String?
  public var driver: String?
  /// `Subnet=`, `Gateway=`, `IPRange=`: repeated together, one per address range.
  public var subnet: [String]
  public var gateway: [String]
  public var ipRange: [String]
  /// `Internal=`: no route out of the network.
  public var isInternal: Bool?
  public var ipv6: Bool?
  public var disableDNS: Bool?
  public var dns: [String]
  public var label: [String: String]
  /// `Options=`: driver options, `key=value[,key=value…]`.
  public var options: String?
  /// Lines for any other `[Network]` key podman 5.4 knows.
  public var extra: [QuadletEntry]

  public init(
    networkName: String? = nil, driver: String? = nil, subnet: [String] = [],
    gateway: [String] = [], ipRange: [String] = [], isInternal: Bool? = nil, ipv6: Bool? = nil,
    disableDNS: Bool? = nil, dns: [String] = [], label: [String: String] = [:],
    options: String? = nil, extra: [QuadletEntry] = []
  ) {
    self.networkName = networkName
    self.driver = driver
    self.subnet = subnet
    self.gateway = gateway
    self.ipRange = ipRange
    self.isInternal = isInternal
    self.ipv6 = ipv6
    self.disableDNS = disableDNS
    self.dns = dns
    self.label = label
    self.options = options
    self.extra = extra
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case driver, subnet, gateway, ipv6, dns, label, options, extra
    case isInternal = "internal"
    case networkName = "network_name"
    case ipRange = "ip_range"
    case disableDNS = "disable_dns"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      networkName: args.optional(.networkName), driver: args.optional(.driver),
      subnet: args.list(.subnet), gateway: args.list(.gateway), ipRange: args.list(.ipRange),
      isInternal: args.optional(.isInternal), ipv6: args.optional(.ipv6),
      disableDNS: args.optional(.disableDNS), dns: args.list(.dns),
      label: args.optional(.label, default: [:]), options: args.optional(.options),
      extra: args.optional(.extra, default: []))
    try args.finish()
  }

  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Network")
    writer.text("NetworkName", networkName, allowsBlanks: false)
    writer.text("Driver", driver, allowsBlanks: false)
    writer.lines("Subnet", subnet, allowsBlanks: false)
    writer.lines("Gateway", gateway, allowsBlanks: false)
    writer.lines("IPRange", ipRange, allowsBlanks: false)
    writer.flag("Internal", isInternal)
    writer.flag("IPv6", ipv6)
    writer.flag("DisableDNS", disableDNS)
    writer.lines("DNS", dns, allowsBlanks: false)
    writer.assignments("Label", label)
    writer.text("Options", options, allowsBlanks: false)
    writer.extra(extra, supported: Self.supportedKeys, typed: Self.typedKeys)
    return writer
  }

  public static let typedKeys = QuadletKeyName.typedKeys(CodingKeys.self)
}
