/// The name a transport is known by: an inventory's `connection`, `ansible_connection`, `-c`
/// (`"ssh"`, `"local"`, `"podman"`).
public struct TransportName: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public var rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (lhs: TransportName, rhs: TransportName) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
