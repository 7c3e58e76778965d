import Engine

/// The `[Unit]` section of a Quadlet file, copied by quadlet into the generated service.
/// Dependencies may name other Quadlet units (`After=db.container`); quadlet translates them.
public struct SystemdUnitSection: Sendable, Hashable, Decodable {
  public var description: String?
  public var after: [String] = []
  public var before: [String] = []
  public var wants: [String] = []
  public var requires: [String] = []
  public var partOf: [String] = []
  /// Lines for any other `[Unit]` key systemd 257 knows (`SystemdSectionKeys.unit`).
  public var extra: [QuadletEntry] = []

  /// A section with the keys `configure` sets, the others unset.
  public init(_ configure: (inout Self) throws -> Void) rethrows { try configure(&self) }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }
}

extension SystemdUnitSection: QuadletSection {
  static let sectionName = "Unit"

  public init() {}

  /// The `[Unit]` keys, in the order they are written.
  static var fields: [QuadletField<Self>] {
    [
      .text("description", \.description),
      .lines("after", \.after, blanks: false),
      .lines("before", \.before, blanks: false),
      .lines("wants", \.wants, blanks: false),
      .lines("requires", \.requires, blanks: false),
      .lines("part_of", \.partOf, blanks: false),
      .extra(\.extra, supported: SystemdSectionKeys.unit),
    ]
  }
}
