/// A role in Ansible's directory layout, read as data: `roles/NAME/tasks/main.json`,
/// `handlers/main.json`, `defaults/main.json`, `vars/main.json` and `meta/main.json`
/// (`dependencies`, `allow_duplicates`), found beside the playbook. It expands as a Swift role
/// does (dependencies first, an identical inclusion once); its defaults sit below the
/// inventory and its vars above the play's, for the whole play, as Ansible exposes them.
public struct DataRole: Sendable {
  public var name: RoleName
  /// Where the role's directory is, for messages.
  public var directory: String
  public var steps: [Step]
  public var handlers: [Handler]
  public var defaults: [String: JSONValue]
  public var variables: [String: JSONValue]
  public var dependencies: [RoleInclusion]
  public var allowsDuplicates: Bool

  public init(
    name: RoleName, directory: String, steps: [Step] = [], handlers: [Handler] = [],
    defaults: [String: JSONValue] = [:], variables: [String: JSONValue] = [:],
    dependencies: [RoleInclusion] = [], allowsDuplicates: Bool = false
  ) {
    self.name = name
    self.directory = directory
    self.steps = steps
    self.handlers = handlers
    self.defaults = defaults
    self.variables = variables
    self.dependencies = dependencies
    self.allowsDuplicates = allowsDuplicates
  }
}

extension RoleInclusion {
  /// The data roles this inclusion brings, itself and its dependencies, depth first.
  var dataRoles: [DataRole] {
    guard case .directory(let role, _) = reference else { return [] }
    return role.dependencies.flatMap(\.dataRoles) + [role]
  }
}

extension RoleInclusion {
  /// The name of the role this inclusion brings.
  public var roleName: RoleName {
    switch reference {
    case .named(let name, _): RoleName(name)
    case .typed(let type, _): type.name
    case .instance(let role): type(of: role).name
    case .directory(let role, _): role.name
    }
  }
}
