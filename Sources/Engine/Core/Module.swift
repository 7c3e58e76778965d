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

/// A module whose result values are built from the outputs of the commands it ran (after
/// it acted), e.g. `command`'s `stdout` and `rc`.
/// Discovered with `as? any ResultBuildingModule`.
public protocol ResultBuildingModule: Module {
  /// Builds the result values (`stdout`, `rc`, …) from the outputs of the commands it ran.
  func resultValues(from outputs: [CommandOutput]) -> [String: JSONValue]
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
