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
