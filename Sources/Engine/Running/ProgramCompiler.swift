/// Builds `HostProgram`s: instantiates roles from their variables for a host, expands
/// dependencies, and collects every problem (unknown role, bad variables, cycles).
public struct ProgramCompiler: Sendable {
  public let roles: RoleRegistry
  /// `--tags`/`--skip-tags`: steps they leave out are not in the program at all, so they
  /// are neither validated nor run (handlers are never selected by tags, as in Ansible).
  public let selection: TagSelection

  public init(roles: RoleRegistry, selection: TagSelection = .everything) {
    self.roles = roles
    self.selection = selection
  }

  public func compile(
    _ play: Play, for host: InventoryHost, variables: Variables
  ) -> (program: HostProgram, problems: [Diagnostic]) {
    var program = HostProgram()
    var problems: [Diagnostic] = []
    let inherited = Step.Inherited(checkMode: play.checkMode, tags: play.tags)
    let origins = VariableOrigins(play: play, host: host, variables: variables)
    var expansion = RoleExpansion { inclusion in
      try instantiate(inclusion, variables: variables, origins: origins)
    }
    for inclusion in play.roles {
      expansion.add(inclusion, chain: [])
    }
    let roleSteps = expansion.steps
    // `import_role`/`include_role` steps become the role's steps where they stand.
    program.preSteps = play.preSteps.map { $0.expandingRoles(&expansion).inheriting(inherited) }
    program.mainSteps = (roleSteps + play.steps.map { $0.expandingRoles(&expansion) }).map {
      $0.inheriting(inherited)
    }
    program.postSteps = play.postSteps.map { $0.expandingRoles(&expansion).inheriting(inherited) }
    program.preSteps = selection.filter(program.preSteps)
    program.mainSteps = selection.filter(program.mainSteps)
    program.postSteps = selection.filter(program.postSteps)
    problems += expansion.problems
    program.secrets = expansion.secrets
    program.handlers = (expansion.handlers + play.handlers).map { handler in
      var handler = handler
      handler.step = handler.step.inheriting(inherited)
      return handler
    }
    problems += Self.renderHandlerNames(&program.handlers, variables: variables)
    program.roles = expansion.instances
    return (program, problems)
  }

  /// Renders templated handler names (`name: "{{ restart_name }}"`) with the host's variables,
  /// as Ansible does when it matches notifications. One that cannot be rendered is unusable:
  /// a warning, and it answers to no name (its `listen` topics still work).
  static func renderHandlerNames(_ handlers: inout [Handler], variables: Variables)
    -> [Diagnostic]
  {
    var problems: [Diagnostic] = []
    for index in handlers.indices {
      guard let id = handlers[index].id, id.rawValue.contains("{{") else { continue }
      if let rendered = try? variables.resolve(.string(id.rawValue)) {
        handlers[index].id = HandlerID(rendered.interpolated)
        handlers[index].step.name = rendered.interpolated
      } else {
        handlers[index].id = nil
        problems.append(
          Diagnostic(
            .warning, at: handlers[index].step.source,
            "Handler '\(id)' is unusable because it has no listen topics and the name could "
              + "not be templated (host-specific variables are not supported in handler names)"))
      }
    }
    return problems
  }

  /// Decodes a role's typed variables for a host. Precedence, low to high: the role's
  /// defaults (Swift), inventory group vars, host vars, play vars, the role's `vars` in the
  /// play, extra vars. Only the role's own names are taken from the shared layers.
  /// Also returns the values of the role's secret variables, to be masked in all output.
  func instantiate(
    _ inclusion: RoleInclusion, variables: Variables, origins: VariableOrigins
  ) throws -> RoleUnit {
    switch inclusion.reference {
    case .instance(let role):
      return RoleUnit(role, secrets: [])
    case .directory(let role, let parameters):
      return RoleUnit(role, parameters: parameters)
    case .named(let name, let parameters):
      guard let type = roles.type(named: name) else {
        throw DefinitionErrors([
          Diagnostic(
            at: inclusion.source,
            "unknown role '\(name)'"
              + Spelling.suggestion(for: name, in: roles.names.map(\.rawValue)))
        ])
      }
      let made = try instantiate(
        type, parameters: parameters, source: inclusion.source, variables: variables,
        origins: origins)
      return RoleUnit(made.role, secrets: made.secrets)
    case .typed(let type, let parameters):
      let made = try instantiate(
        type, parameters: parameters, source: inclusion.source, variables: variables,
        origins: origins)
      return RoleUnit(made.role, secrets: made.secrets)
    }
  }

  private func instantiate(
    _ type: any Role.Type, parameters: [String: JSONValue], source: SourceLocation,
    variables: Variables, origins: VariableOrigins
  ) throws -> (role: any Role, secrets: [String]) {
    let name = type.name
    var object: [String: JSONValue] = [:]
    for key in type.variableNames {
      if let value = variables.values[key] { object[key] = value }
    }
    object.merge(parameters) { _, new in new }
    for key in type.variableNames {
      if let value = variables.extra[key] { object[key] = value }
    }
    /// Where the value of a variable of this role was set: the role's `vars` in the play when
    /// given there (and not overridden by `-e`), else `-e`, the play's `vars` or the inventory.
    func origin(of key: String) -> SourceLocation {
      parameters[key] != nil && variables.extra[key] == nil
        ? location(source, key) : origins.location(of: key)
    }
    var resolved: [String: JSONValue] = [:]
    var problems: [Diagnostic] = []
    for key in object.keys.sorted() {
      do {
        resolved[key] = try variables.resolve(object[key] ?? .null)
      } catch let error as TemplateError {
        let at = error.holder.map { origins.location(of: $0) } ?? origin(of: key)
        let secret =
          type.secretVariables.contains(key)
          && !Self.isBareReference(object[key], failingWith: error)
        let text = secret ? error.redactedDescription : error.description
        problems.append(Diagnostic(at: at, "role '\(name)' variable '\(key)': \(text)"))
      } catch {
        problems.append(
          Diagnostic(at: origin(of: key), "role '\(name)' variable '\(key)': \(error)"))
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    let secrets = type.secretVariables.compactMap { resolved[$0] }.flatMap(\.secretTexts)
    do {
      return (try JSONValue.object(resolved).decode(type), secrets)
    } catch {
      throw DefinitionErrors(
        DecodingDiagnostics.describeAll(error).map { path, message in
          // A value that was given is blamed where it was given; a missing one at the role.
          guard case .key(let key)? = path.components.first, object[key] != nil else {
            return Diagnostic(at: location(source, path), "role '\(name)' variables: \(message)")
          }
          var at = origin(of: key)
          at.path = (at.path ?? .root).appending(JSONPath(Array(path.components.dropFirst())))
          return Diagnostic(at: at, "role '\(name)' variables: \(message)")
        })
    }
  }

  /// Whether a secret variable's value is exactly `{{ name }}` and the error is that `name`
  /// is undefined: the name is the playbook's text, not the secret, and is worth showing.
  private static func isBareReference(_ value: JSONValue?, failingWith error: TemplateError)
    -> Bool
  {
    guard case .string(let text)? = value, case .undefined(let name, _) = error,
      let template = try? StrictTemplate(text)
    else { return false }
    return template.singleReference == name
  }

  private func location(_ base: SourceLocation, _ key: String) -> SourceLocation {
    location(base, JSONPath([.key(key)]))
  }

  private func location(_ base: SourceLocation, _ path: JSONPath) -> SourceLocation {
    var location = base
    location.path = (base.path ?? .root).appending("vars").appending(path)
    return location
  }
}

extension Step {
  /// This step with its `import_role`/`include_role` steps (here or nested) replaced by
  /// the role's steps: a block for an import (its keywords pass on), an include announced
  /// as `included: NAME`.
  func expandingRoles(_ expansion: inout RoleExpansion) -> Step {
    guard case .role(let inclusion, let included) = body else {
      var expanded: [Step] = []
      for step in nestedSteps { expanded.append(step.expandingRoles(&expansion)) }
      var next = expanded.makeIterator()
      return mappingNested { original in next.next() ?? original }
    }
    let steps = expansion.expandInPlace(inclusion)
    let role = inclusion.roleName.rawValue
    var copy = self
    if included {
      if copy.name == "include_role" { copy.name = "include_role : \(role)" }
      copy.body = .include(TaskInclude(file: role, steps: steps))
    } else {
      copy.body = .block(Block(steps: steps))
    }
    return copy
  }
}

extension JSONValue {
  /// Every string inside this value (a secret list's members are each secret).
  var secretTexts: [String] {
    switch self {
    case .string(let text): [text]
    case .array(let values): values.flatMap(\.secretTexts)
    case .object(let members): members.values.flatMap(\.secretTexts)
    default: []
    }
  }
}
