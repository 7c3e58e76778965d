import Engine

/// The `[Volume]` section of a `.volume` unit: a podman volume created by a oneshot service.
/// Containers mount it with `Volume=<name>.volume:/path`.
public struct QuadletVolume: Sendable, Hashable, Decodable {
  /// `VolumeName=`: the podman volume's name; quadlet's default is `systemd-<unit name>`.
  public var volumeName: String?
  public var driver: String?
  /// `User=`/`Group=`: owner of the volume's root directory.
  public var user: String?
  public var group: String?
  public var label: [String: String]
  /// `Device=`, `Type=`, `Options=`: a `mount(8)` source for the local driver.
  public var device: String?
  public var type: String?
  public var options: String?
  /// Lines for any other `[Volume]` key podman 5.4 knows.
  public var extra: [QuadletEntry]

  public init(
    volumeName: String? = nil, driver: String? = nil, user: String? = nil, group: String? = nil,
    label: [String: String] = [:], device: String? = nil, type: String? = nil,
    options: String? = nil, extra: [QuadletEntry] = []
  ) {
    self.volumeName = volumeName
    self.driver = driver
    self.user = user
    self.group = group
    self.label = label
    self.device = device
    self.type = type
    self.options = options
    self.extra = extra
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case driver, user, group, label, device, type, options, extra
    case volumeName = "volume_name"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      volumeName: args.optional(.volumeName), driver: args.optional(.driver),
      user: args.optional(.user), group: args.optional(.group),
      label: args.optional(.label, default: [:]), device: args.optional(.device),
      type: args.optional(.type), options: args.optional(.options),
      extra: args.optional(.extra, default: []))
    try args.finish()
  }

  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Volume")
    writer.text("VolumeName", volumeName, allowsBlanks: false)
    writer.text("Driver", driver, allowsBlanks: false)
    writer.text("User", user, allowsBlanks: false)
    writer.text("Group", group, allowsBlanks: false)
    writer.assignments("Label", label)
    writer.text("Device", device)
    writer.text("Type", type, allowsBlanks: false)
    writer.text("Options", options, allowsBlanks: false)
    writer.extra(extra, supported: Self.supportedKeys, typed: Self.typedKeys)
    return writer
  }

  public static let typedKeys = QuadletKeyName.typedKeys(CodingKeys.self)
}
