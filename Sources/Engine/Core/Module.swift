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
/// Discovered with `as? any ValidatingModule`. The engine asks once per module value, before
/// the run and before `plan`, which may then take its arguments as valid.
public protocol ValidatingModule: Module {
  func validate() -> [String]
}

/// A module that turns into a result of its own after it acted, e.g. the output of `command`.
/// Discovered with `as? any ReportingModule`.
public protocol ReportingModule: Module {
  /// Builds the result facts (`stdout`, `rc`, …) from the outputs of the commands it ran.
  func report(outputs: [CommandOutput]) -> [String: JSONValue]
}

/// A module that takes a free-form string as Ansible's `command` does (`"command": "echo
/// hi chdir=/tmp"`): `key=value` words naming its arguments are taken as those, the rest is
/// the value of `freeFormKey`. Other modules read a string of arguments as `key=value` words.
/// Discovered with `as? any FreeFormModule.Type`.
public protocol FreeFormModule: Module {
  static var freeFormKey: String { get }
  /// The argument names a `key=value` word may set in the free form.
  static var freeFormOptions: Set<String> { get }
}

/// A module that defines host variables when it runs (`set_fact`): validation treats those
/// names as defined later, as it does `register` names. Discovered with
/// `as? any VariableDefining.Type`.
public protocol VariableDefining: Module {
  static func names(definedBy arguments: JSONValue) -> [String]
}
