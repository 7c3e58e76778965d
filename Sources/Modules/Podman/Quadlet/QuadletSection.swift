import Engine

/// A section of a Quadlet file whose typed keys are declared once, in `fields`: decoding
/// (unknown arguments refused with "did you mean"), the lines written, in the table's
/// order, and the check that `extra` does not repeat a typed key all come from it.
protocol QuadletSection {
  /// The section's name in the file (`Container`, `Service`).
  static var sectionName: String { get }
  static var fields: [QuadletField<Self>] { get }
  /// Every field unset (a required one empty); decoding fills it in.
  init()
}

extension QuadletSection {
  /// Reads every field from JSON, collecting every problem before throwing them together.
  init(reading decoder: any Decoder) throws {
    let fields = Self.fields
    let reader = try ArgumentReader(decoder, names: fields.map(\.argument))
    self.init()
    for field in fields { field.read(with: reader, into: &self) }
    try reader.finish()
  }

  /// The section's lines, in the order of `fields`.
  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: Self.sectionName)
    for field in Self.fields { field.write(self, into: &writer) }
    return writer
  }

  /// Quadlet keys with a typed field, and that field's JSON name (`extra` aside).
  static var fieldKeys: [String: String] {
    Dictionary(
      uniqueKeysWithValues: fields.filter { $0.argument != QuadletField<Self>.extraArgument }
        .map { ($0.key, $0.argument) })
  }
}

extension QuadletField where Section: QuadletSection {
  static var extraArgument: String { "extra" }

  /// `extra`: lines for keys without a typed field, each one `supported` lists (an unknown
  /// one gets "did you mean") and none a typed field writes. Last in a table.
  static func extra(
    _ property: WritableKeyPath<Section, [QuadletEntry]>, supported: Set<String>
  ) -> Self {
    value(extraArgument, property) { entries, _, writer in
      writer.extra(entries, supported: supported, typed: Section.fieldKeys)
    }
  }
}
