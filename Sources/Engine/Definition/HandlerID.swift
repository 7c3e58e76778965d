/// The name of a handler, or a `listen` topic. Roles declare theirs as static constants so a
/// typo fails to compile; JSON playbooks use the same names as strings, checked before the run.
public struct HandlerID: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral, Codable
{
  public var rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (lhs: HandlerID, rhs: HandlerID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// The name of a role (`"dci_api"`).
public struct RoleName: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public var rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (lhs: RoleName, rhs: RoleName) -> Bool { lhs.rawValue < rhs.rawValue }
}
