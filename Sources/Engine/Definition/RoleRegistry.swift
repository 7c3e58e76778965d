/// The roles a JSON playbook may name, as an explicit list; duplicates are rejected.
public struct RoleRegistry: Sendable {
  public private(set) var types: [RoleName: any Role.Type] = [:]

  public init(_ roles: [any Role.Type]) throws {
    for role in roles {
      guard types[role.name] == nil else {
        throw DefinitionErrors([Diagnostic(at: nil, "role '\(role.name)' is registered twice")])
      }
      types[role.name] = role
    }
  }

  public var names: [RoleName] { types.keys.sorted() }

  public func type(named name: String) -> (any Role.Type)? { types[RoleName(name)] }
}
