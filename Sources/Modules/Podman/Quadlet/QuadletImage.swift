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
  public var extra: [QuadletEntry]

  public init(
    image: String, tlsVerify: Bool? = nil, authFile: String? = nil, imageTag: String? = nil,
    extra: [QuadletEntry] = []
  ) {
    self.image = image
    self.tlsVerify = tlsVerify
    self.authFile = authFile
    self.imageTag = imageTag
    self.extra = extra
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case image, extra
    case tlsVerify = "tls_verify"
    case authFile = "auth_file"
    case imageTag = "image_tag"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      image: args.required(.image) ?? "", tlsVerify: args.optional(.tlsVerify),
      authFile: args.optional(.authFile), imageTag: args.optional(.imageTag),
      extra: args.optional(.extra, default: []))
    try args.finish()
  }

  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Image")
    writer.text("Image", image, allowsBlanks: false)
    writer.flag("TLSVerify", tlsVerify)
    writer.text("AuthFile", authFile)
    writer.text("ImageTag", imageTag, allowsBlanks: false)
    writer.extra(extra, supported: Self.supportedKeys, typed: Self.typedKeys)
    return writer
  }

  public static let typedKeys = QuadletKeyName.typedKeys(CodingKeys.self)
}
