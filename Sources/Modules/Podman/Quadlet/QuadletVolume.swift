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
  public var label: [String: String] = [:]
  /// `Device=`, `Type=`, `Options=`: a `mount(8)` source for the local driver.
  public var device: String?
  public var type: String?
  public var options: String?
  /// Lines for any other `[Volume]` key podman 5.4 knows.
  public var extra: [QuadletEntry] = []

  /// A section with the keys `configure` sets, the others unset.
  public init(_ configure: (inout Self) throws -> Void) rethrows { try configure(&self) }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }

  /// Quadlet keys with a typed property, and that property's JSON name.
  public static var typedKeys: [String: String] { fieldKeys }
}

extension QuadletVolume: QuadletSection {
  static let sectionName = "Volume"

  public init() {}

  /// The `[Volume]` keys, in the order they are written.
  static var fields: [QuadletField<Self>] {
    [
      .text("volume_name", \.volumeName, blanks: false),
      .text("driver", \.driver, blanks: false),
      .text("user", \.user, blanks: false),
      .text("group", \.group, blanks: false),
      .assignments("label", \.label),
      .text("device", \.device),
      .text("type", \.type, blanks: false),
      .text("options", \.options, blanks: false),
      .extra(\.extra, supported: supportedKeys),
    ]
  }
}
