import Engine

/// The `[Image]` section of an `.image` unit: a oneshot service that pulls an image, which
/// `.container` units can name as `Image=<name>.image` so they start only after the pull.
public struct QuadletImage: Sendable, Hashable, Decodable {
  /// `Image=`: the reference to pull. Required.
  public var image: String
  /// `TLSVerify=`: false for a plain-HTTP registry (the test hosts' local one).
  public var tlsVerify: Bool?
  public var authFile: String?
  /// `ImageTag=`: the name the pulled image is tagged with, and what containers then use.
  public var imageTag: String?
  /// Lines for any other `[Image]` key podman 5.4 knows.
  public var extra: [QuadletEntry] = []

  /// A section with its required `image`; `configure` sets the rest
  /// (`QuadletContainer(image: "x") { $0.network = ["web.network"] }`).
  public init(image: String, _ configure: (inout Self) throws -> Void) rethrows {
    self.image = image
    try configure(&self)
  }

  public init(image: String) { self.image = image }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }

  /// Quadlet keys with a typed property, and that property's JSON name.
  public static var typedKeys: [String: String] { fieldKeys }
}

extension QuadletImage: QuadletSection {
  static let sectionName = "Image"

  init() { self.init(image: "") }

  /// The `[Image]` keys, in the order they are written.
  static var fields: [QuadletField<Self>] {
    [
      .requiredText("image", \.image, blanks: false),
      .flag("tls_verify", \.tlsVerify),
      .text("auth_file", \.authFile),
      .text("image_tag", \.imageTag, blanks: false),
      .extra(\.extra, supported: supportedKeys),
    ]
  }
}
