import Engine

/// The `[Unit]` section of a Quadlet file, copied by quadlet into the generated service.
/// Dependencies may name other Quadlet units (`After=db.container`); quadlet translates them.
public struct SystemdUnitSection: Sendable, Hashable, Decodable {
  public var description: String?
  public var after: [String]
  public var before: [String]
  public var wants: [String]
  public var requires: [String]
  public var partOf: [String]
  /// Lines for any other `[Unit]` key systemd 257 knows (`SystemdSectionKeys.unit`).
  public var extra: [QuadletEntry]

  public init(
    description: String? = nil, after: [String] = [], before: [String] = [],
    wants: [String] = [], requires: [String] = [], partOf: [String] = [],
    extra: [QuadletEntry] = []
  ) {
    self.description = description
    self.after = after
    self.before = before
    self.wants = wants
    self.requires = requires
    self.partOf = partOf
    self.extra = extra
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case description, after, before, wants, requires, extra
    case partOf = "part_of"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      description: args.optional(.description), after: args.list(.after),
      before: args.list(.before), wants: args.list(.wants), requires: args.list(.requires),
      partOf: args.list(.partOf), extra: args.optional(.extra, default: []))
    try args.finish()
  }

  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Unit")
    writer.text("Description", description)
    writer.lines("After", after, allowsBlanks: false)
    writer.lines("Before", before, allowsBlanks: false)
    writer.lines("Wants", wants, allowsBlanks: false)
    writer.lines("Requires", requires, allowsBlanks: false)
    writer.lines("PartOf", partOf, allowsBlanks: false)
    writer.extra(
      extra, supported: SystemdSectionKeys.unit,
      typed: QuadletKeyName.typedKeys(CodingKeys.self))
    return writer
  }
}
