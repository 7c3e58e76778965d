/// An absolute path on a managed host (not on the machine running `runner`).
public struct HostPath: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral, ExpressibleByStringInterpolation
{
  public var rawValue: String

  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  public var description: String { rawValue }

  public static func < (lhs: HostPath, rhs: HostPath) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The containing directory (`/etc` for `/etc/x.conf`).
  public var parent: HostPath {
    let trimmed =
      rawValue.count > 1 && rawValue.hasSuffix("/") ? String(rawValue.dropLast()) : rawValue
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    let head = String(trimmed[..<slash])
    return HostPath(head.isEmpty ? "/" : head)
  }

  /// The last path component.
  public var lastComponent: String {
    let trimmed = rawValue.hasSuffix("/") ? String(rawValue.dropLast()) : rawValue
    return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
  }

  public func appending(_ component: String) -> HostPath {
    HostPath(rawValue.hasSuffix("/") ? rawValue + component : rawValue + "/" + component)
  }

  public var isAbsolute: Bool { rawValue.hasPrefix("/") }
}

extension HostPath: Codable {
  public init(from decoder: any Decoder) throws {
    let value = try decoder.singleValueContainer().decode(String.self)
    guard value.hasPrefix("/") else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "expected an absolute path, found '\(value)'"))
    }
    self.rawValue = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
