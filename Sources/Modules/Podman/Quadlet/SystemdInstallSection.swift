import Engine

/// The `[Install]` section of a Quadlet file. Generated units cannot be `systemctl enable`d;
/// instead quadlet applies this section itself at every generation, so `wantedBy:
/// ["multi-user.target"]` is how a Quadlet unit starts at boot. Quadlet honours only these
/// keys, so there is no `extra` here.
public struct SystemdInstallSection: Sendable, Hashable, Decodable {
  public var wantedBy: [String] = []
  public var requiredBy: [String] = []
  public var upheldBy: [String] = []
  public var alias: [String] = []
  /// `DefaultInstance=`: for a template (`web@.container`), the instance enabled at boot.
  public var defaultInstance: String?

  /// A section with the keys `configure` sets, the others unset.
  public init(_ configure: (inout Self) throws -> Void) rethrows { try configure(&self) }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }
}

extension SystemdInstallSection: QuadletSection {
  static let sectionName = "Install"

  public init() {}

  /// The `[Install]` keys, in the order they are written.
  static var fields: [QuadletField<Self>] {
    [
      .lines("wanted_by", \.wantedBy, blanks: false),
      .lines("required_by", \.requiredBy, blanks: false),
      .lines("upheld_by", \.upheldBy, blanks: false),
      .lines("alias", \.alias, blanks: false),
      .text("default_instance", \.defaultInstance, blanks: false),
    ]
  }
}
