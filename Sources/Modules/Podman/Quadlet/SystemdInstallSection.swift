import Engine

/// The `[Install]` section of a Quadlet file. Generated units cannot be `systemctl enable`d;
/// instead quadlet applies this section itself at every generation, so `wantedBy:
/// ["multi-user.target"]` is how a Quadlet unit starts at boot. Quadlet honours only these
/// keys, so there is no `extra` here.
public struct SystemdInstallSection: Sendable, Hashable, Decodable {
  public var wantedBy: [String]
  public var requiredBy: [String]
  public var upheldBy: [String]
  public var alias: [String]
  /// `DefaultInstance=`: for a template (`web@.container`), the instance enabled at boot.
  public var defaultInstance: String?

  public init(
    wantedBy: [String] = [], requiredBy: [String] = [], upheldBy: [String] = [],
    alias: [String] = [], defaultInstance: String? = nil
  ) {
    self.wantedBy = wantedBy
    self.requiredBy = requiredBy
    self.upheldBy = upheldBy
    self.alias = alias
    self.defaultInstance = defaultInstance
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case alias
    case wantedBy = "wanted_by"
    case requiredBy = "required_by"
    case upheldBy = "upheld_by"
    case defaultInstance = "default_instance"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      wantedBy: args.list(.wantedBy), requiredBy: args.list(.requiredBy),
      upheldBy: args.list(.upheldBy), alias: args.list(.alias),
      defaultInstance: args.optional(.defaultInstance))
    try args.finish()
  }

  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Install")
    writer.lines("WantedBy", wantedBy, allowsBlanks: false)
    writer.lines("RequiredBy", requiredBy, allowsBlanks: false)
    writer.lines("UpheldBy", upheldBy, allowsBlanks: false)
    writer.lines("Alias", alias, allowsBlanks: false)
    writer.text("DefaultInstance", defaultInstance, allowsBlanks: false)
    return writer
  }
}
