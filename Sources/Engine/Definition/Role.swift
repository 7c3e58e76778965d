/// A role written in Swift: typed variables (its stored properties, decoded from JSON with
/// defaults and unknown keys rejected), dependencies, steps and handlers.
public protocol Role: Decodable, Sendable, Hashable {
  static var name: RoleName { get }
  /// Every variable name the role accepts (its JSON keys). Inventory, play and extra vars
  /// with these names flow into the role; any other key in the role's own `vars` is an error.
  static var variableNames: [String] { get }
  /// Variables whose values must never be shown (output, diffs, JSON, errors).
  static var secretVariables: Set<String> { get }
  /// Run again when listed twice with the same variables (Ansible's `allow_duplicates`).
  static var allowsDuplicates: Bool { get }
  /// Roles that run first; their handlers come first in handler order. A dependency given
  /// by type takes its variables like a role of the play (inventory, play vars, `-e`), with
  /// `parameters` at the level of a role's `vars`, as Ansible's `meta/main.yml` does.
  var dependencies: [RoleInclusion] { get }
  @StepBuilder var steps: [Step] { get }
  @HandlerBuilder var handlers: [Handler] { get }
}

extension Role {
  public static var secretVariables: Set<String> { [] }
  public static var allowsDuplicates: Bool { false }
  public var dependencies: [RoleInclusion] { [] }
  public var handlers: [Handler] { [] }
}

/// A role that checks facts across every host of a play (e.g. "enabled on one host only").
/// Discovered with `as? any PlayWideChecking.Type`.
public protocol PlayWideChecking: Role {
  static func check(_ instances: [(host: String, role: Self)]) -> [Diagnostic]
}
