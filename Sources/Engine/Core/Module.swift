/// A unit of desired state. A module inspects the host read-only and returns what would change;
/// the engine applies it. A role may build its own modules in Swift (`RetiredUnit`); only a
/// module a playbook names needs a name and decoding (`PlaybookModule`).
public protocol Module: Sendable {
  /// Read-only: inspect the host, return the changes needed. Never mutates.
  func plan(in context: PlanContext) async throws -> Plan
}

/// A module with a name of its own, which the JSON run log and `--list-tasks` show; one
/// without is known by its Swift type's name.
public protocol NamedModule: Module {
  static var name: ModuleName { get }
}

/// A module a JSON playbook names (`"template"`, `"systemd"`): found by its name in the
/// `ModuleRegistry`, its arguments its stored properties, decoded from the task with unknown
/// keys rejected.
public protocol PlaybookModule: NamedModule, Decodable {}

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
public protocol FreeFormModule: PlaybookModule {
  static var freeFormKey: String { get }
  /// The argument names a `key=value` word may set in the free form.
  static var freeFormOptions: Set<String> { get }
}

/// A module that defines host variables when it runs (`set_fact`): validation treats those
/// names as defined later, as it does `register` names. Discovered with
/// `as? any VariableDefining.Type`.
public protocol VariableDefining: PlaybookModule {
  static func names(definedBy arguments: JSONValue) -> [String]
}
