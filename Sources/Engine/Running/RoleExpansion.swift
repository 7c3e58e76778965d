/// One role as the expansion sees it, whether written in Swift or read from a directory.
struct RoleUnit {
  var name: RoleName
  /// Two inclusions with equal identities are the same role run (Ansible's dedup).
  var identity: AnyHashable
  var allowsDuplicates: Bool
  var dependencies: [RoleInclusion]
  var steps: [Step]
  var handlers: [Handler]
  /// The Swift role value, for play-wide checks.
  var instance: (any Role)?
  /// Values to mask in every output (secret role variables).
  var secrets: [String] = []

  init(_ role: any Role, secrets: [String]) {
    name = type(of: role).name
    identity = AnyHashable(role)
    allowsDuplicates = type(of: role).allowsDuplicates
    dependencies = role.dependencies
    steps = role.steps
    handlers = role.handlers
    instance = role
    self.secrets = secrets
  }

  /// A directory role with its entry's `vars`, which its steps see above every variable
  /// but `-e` (Ansible's role parameters).
  init(_ role: DataRole, parameters: [String: JSONValue]) {
    name = role.name
    identity = AnyHashable([role.name.rawValue, JSONValue.object(parameters).compactJSON])
    allowsDuplicates = role.allowsDuplicates
    dependencies = role.dependencies
    steps = role.steps.map { $0.binding(parameters) }
    handlers = role.handlers.map { handler in
      var handler = handler
      handler.step = handler.step.binding(parameters)
      return handler
    }
    instance = nil
  }
}

/// Expands roles depth-first (dependencies before dependents, as Ansible's `Role.compile`),
/// running an identical role instance once unless it allows duplicates.
struct RoleExpansion {
  typealias Instantiate = (RoleInclusion) throws -> RoleUnit

  var steps: [Step] = []
  var handlers: [Handler] = []
  var instances: [any Role] = []
  var secrets: [String] = []
  var problems: [Diagnostic] = []
  private var seen: [AnyHashable] = []
  private let instantiate: Instantiate

  init(instantiate: @escaping Instantiate) { self.instantiate = instantiate }

  mutating func add(_ inclusion: RoleInclusion, chain: [RoleName]) {
    _ = expand(inclusion, chain: chain, always: false)
  }

  /// `import_role`/`include_role`: the role runs where the step stands even when the play's
  /// roles already ran it; its dependencies are de-duplicated as usual. Returns its steps.
  mutating func expandInPlace(_ inclusion: RoleInclusion) -> [Step] {
    let start = steps.count
    guard expand(inclusion, chain: [], always: true) else { return [] }
    defer { steps.removeSubrange(start...) }
    return Array(steps[start...])
  }

  private mutating func expand(_ inclusion: RoleInclusion, chain: [RoleName], always: Bool)
    -> Bool
  {
    let role: RoleUnit
    do {
      role = try instantiate(inclusion)
      secrets += role.secrets
    } catch let error as DefinitionErrors {
      problems += error.problems
      return false
    } catch {
      problems.append(Diagnostic(at: inclusion.source, "\(error)"))
      return false
    }
    let source = inclusion.source
    let name = role.name
    if chain.contains(name) {
      problems.append(
        Diagnostic(
          at: source,
          "role dependency cycle: " + (chain + [name]).map(\.rawValue).joined(separator: " -> ")))
      return false
    }
    if !always && seen.contains(role.identity) && !role.allowsDuplicates { return true }
    let problemsBefore = problems.count
    let firstStep = steps.count
    for dependency in role.dependencies {
      add(dependency, chain: chain + [name])
    }
    // A role whose dependency could not be made cannot run either; expanding it anyway would
    // only add echoes of the same problem (its notifies to the missing role's handlers).
    if problems.count > problemsBefore { return false }
    seen.append(role.identity)
    if let instance = role.instance { instances.append(instance) }
    steps += role.steps.map { $0.inRole(name) }
    if !inclusion.tags.isEmpty {
      // The entry's tags reach the role's dependencies too (Ansible's dependency chain).
      for index in steps.indices[firstStep...] { steps[index].tags.formUnion(inclusion.tags) }
    }
    for handler in role.handlers {
      var owned = handler
      owned.step = handler.step.inRole(name)
      // The same role again with other variables: the last one loaded answers (Ansible).
      handlers.removeAll { $0.identity == owned.identity }
      handlers.append(owned)
    }
    return true
  }
}
