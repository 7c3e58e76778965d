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

/// A unit of desired state. A module inspects the host read-only and returns what would change;
/// the engine applies it. Arguments are the module's stored properties, decoded from JSON
/// with unknown keys rejected.
public protocol Module: Decodable, Sendable {
  static var name: ModuleName { get }
  /// Read-only: inspect the host, return the changes needed. Never mutates.
  func plan(in context: PlanContext) async throws -> Plan
}

/// A module whose arguments can be checked without a host (a relative path, a bad pair).
/// Discovered with `as? any ValidatingModule`.
public protocol ValidatingModule: Module {
  func validate() -> [String]
}

/// A module that turns into a result of its own after it acted, e.g. the output of `command`.
/// Discovered with `as? any ReportingModule`.
public protocol ReportingModule: Module {
  /// Builds the result facts (`stdout`, `rc`, …) from the outputs of the commands it ran.
  func report(outputs: [CommandOutput]) -> [String: JSONValue]
}
