/// The name a module is known by in JSON playbooks (`"template"`, `"systemd"`).
public struct ModuleName: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public var rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (lhs: ModuleName, rhs: ModuleName) -> Bool { lhs.rawValue < rhs.rawValue }
}
