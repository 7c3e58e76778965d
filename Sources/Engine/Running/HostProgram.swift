/// What one host runs in one play: its steps per section and its handlers, in definition
/// order, with roles expanded (dependencies first, de-duplicated). Built per host because
/// typed role variables, and so the steps a role yields, can differ between hosts.
public struct HostProgram: Sendable {
  public var preSteps: [Step] = []
  /// Roles' steps, then the play's own `tasks`: one section, one flush (Ansible).
  public var mainSteps: [Step] = []
  public var postSteps: [Step] = []
  /// Role handlers (dependencies first), then the play's handlers.
  public var handlers: [Handler] = []
  /// Values to mask in every output (secret role variables).
  public var secrets: [String] = []
  /// Role instances in run order, for play-wide checks.
  public var roles: [any Role] = []

  public init() {}

  /// The handlers a notification reaches: the handler named so (bare or `role : name`),
  /// plus every handler listening to it, in definition order. A bare name notified from a
  /// role's step means that role's own handler first; otherwise the last one loaded
  /// answers, as in Ansible. (Ansible always takes the last loaded, so a play handler can
  /// shadow a role's own; we do not let it.)
  public func handlers(answering notification: HandlerID, from role: RoleName? = nil) -> [Handler] {
    let own = role.flatMap { role in
      handlers.first { $0.step.role == role && $0.id == notification }
    }
    // Of two handlers with one name the first defined answers (ansible-core 2.19).
    let named = own ?? handlers.first { $0.names.contains(notification) }
    return handlers.filter { handler in
      handler.identity == named?.identity || handler.topics.contains(notification)
    }
  }

  /// The handler whose step this is (flushes align handler steps across hosts).
  public func handler(running step: Step) -> Handler? {
    handlers.first { handler in
      handler.step.source == step.source && handler.step.role == step.role
        && handler.step.name == step.name
    }
  }

  /// Every step of every section, blocks included, for validation.
  public var allSteps: [Step] {
    func flatten(_ steps: [Step]) -> [Step] {
      steps.flatMap { step -> [Step] in
        if case .block(let block) = step.body {
          return [step] + flatten(block.steps) + flatten(block.rescue) + flatten(block.always)
        }
        return [step]
      }
    }
    return flatten(preSteps + mainSteps + postSteps + handlers.map(\.step))
  }
}

/// Builds `HostProgram`s: instantiates roles from their variables for a host, expands
/// dependencies, and collects every problem (unknown role, bad variables, cycles).
public struct ProgramCompiler: Sendable {
  public let roles: RoleRegistry

  public init(roles: RoleRegistry) { self.roles = roles }

  public func compile(
    _ play: Play, for host: InventoryHost, variables: Variables
  ) -> (program: HostProgram, problems: [Diagnostic]) {
    var program = HostProgram()
    var problems: [Diagnostic] = []
    let inherited = Step.Inherited(checkMode: play.checkMode)
    program.preSteps = play.preSteps.map { $0.inheriting(inherited) }
    let origins = VariableOrigins(play: play, host: host, variables: variables)
    var expansion = RoleExpansion { inclusion in
      try instantiate(inclusion, variables: variables, origins: origins)
    }
    for inclusion in play.roles {
      expansion.add(inclusion, chain: [])
    }
    problems += expansion.problems
    program.secrets = expansion.secrets
    program.mainSteps = (expansion.steps + play.steps).map { $0.inheriting(inherited) }
    program.postSteps = play.postSteps.map { $0.inheriting(inherited) }
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
  ) throws -> (role: any Role, secrets: [String]) {
    switch inclusion.reference {
    case .instance(let role):
      return (role, [])
    case .named(let name, let parameters):
      guard let type = roles.type(named: name) else {
        throw DefinitionErrors([
          Diagnostic(
            at: inclusion.source,
            "unknown role '\(name)'"
              + Spelling.suggestion(for: name, in: roles.names.map(\.rawValue)))
        ])
      }
      return try instantiate(
        type, parameters: parameters, source: inclusion.source, variables: variables,
        origins: origins)
    case .typed(let type, let parameters):
      return try instantiate(
        type, parameters: parameters, source: inclusion.source, variables: variables,
        origins: origins)
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

/// Expands roles depth-first (dependencies before dependents, as Ansible's `Role.compile`),
/// running an identical role instance once unless it allows duplicates.
struct RoleExpansion {
  typealias Instantiate = (RoleInclusion) throws -> (role: any Role, secrets: [String])

  var steps: [Step] = []
  var handlers: [Handler] = []
  var instances: [any Role] = []
  var secrets: [String] = []
  var problems: [Diagnostic] = []
  private var seen: [AnyHashable] = []
  private let instantiate: Instantiate

  init(instantiate: @escaping Instantiate) { self.instantiate = instantiate }

  mutating func add(_ inclusion: RoleInclusion, chain: [RoleName]) {
    let role: any Role
    do {
      let made = try instantiate(inclusion)
      role = made.role
      secrets += made.secrets
    } catch let error as DefinitionErrors {
      problems += error.problems
      return
    } catch {
      problems.append(Diagnostic(at: inclusion.source, "\(error)"))
      return
    }
    let source = inclusion.source
    let name = type(of: role).name
    if chain.contains(name) {
      problems.append(
        Diagnostic(
          at: source,
          "role dependency cycle: " + (chain + [name]).map(\.rawValue).joined(separator: " -> ")))
      return
    }
    let identity = AnyHashable(role)
    if seen.contains(identity) && !type(of: role).allowsDuplicates { return }
    let problemsBefore = problems.count
    for dependency in role.dependencies {
      add(dependency, chain: chain + [name])
    }
    // A role whose dependency could not be made cannot run either; expanding it anyway would
    // only add echoes of the same problem (its notifies to the missing role's handlers).
    if problems.count > problemsBefore { return }
    seen.append(identity)
    instances.append(role)
    steps += role.steps.map { $0.inRole(name) }
    for handler in role.handlers {
      var owned = handler
      owned.step = handler.step.inRole(name)
      // The same role again with other variables: the last one loaded answers (Ansible).
      handlers.removeAll { $0.identity == owned.identity }
      handlers.append(owned)
    }
  }
}

extension Step {
  /// Keywords a block (or the play) gives the steps inside it, as Ansible's inheritance does:
  /// `when` conditions add up; `notify`, `ignore_errors`, `check_mode`, `no_log`, `diff` and
  /// `run_once` apply where the step does not set its own.
  struct Inherited {
    var when: [Condition] = []
    var notify: [HandlerID] = []
    var ignoreErrors: Condition?
    var checkMode: Bool?
    var noLog: Bool?
    var showsDiff: Bool?
    var runOnce: Condition?
  }

  func inheriting(_ inherited: Inherited) -> Step {
    var copy = self
    let conditions = inherited.when + (when.map { [$0] } ?? [])
    if conditions.count > 1 {
      copy.when = Condition(conditions.map(\.text).joined(separator: " and ")) { scope in
        try conditions.allSatisfy { try $0.holds(in: scope) }
      }
    } else {
      copy.when = conditions.first
    }
    if copy.notify.isEmpty { copy.notify = inherited.notify }
    copy.ignoreErrors = copy.ignoreErrors ?? inherited.ignoreErrors
    copy.checkMode = copy.checkMode ?? inherited.checkMode
    if let noLog = inherited.noLog, !copy.noLog { copy.noLog = noLog }
    if let showsDiff = inherited.showsDiff, copy.showsDiff { copy.showsDiff = showsDiff }
    copy.runOnce = copy.runOnce ?? inherited.runOnce
    guard case .block(var block) = copy.body else { return copy }
    // The block's own keywords pass to its children; the block step keeps none to judge.
    let passed = Inherited(
      when: conditions, notify: copy.notify, ignoreErrors: copy.ignoreErrors,
      checkMode: copy.checkMode, noLog: copy.noLog ? true : inherited.noLog,
      showsDiff: copy.showsDiff ? inherited.showsDiff : false, runOnce: copy.runOnce)
    block.steps = block.steps.map { $0.inheriting(passed) }
    block.rescue = block.rescue.map { $0.inheriting(passed) }
    block.always = block.always.map { $0.inheriting(passed) }
    copy.body = .block(block)
    copy.when = nil
    copy.notify = []
    return copy
  }

  func inRole(_ name: RoleName) -> Step {
    var copy = self
    if copy.role == nil { copy.role = name }
    if case .block(var block) = copy.body {
      block.steps = block.steps.map { $0.inRole(name) }
      block.rescue = block.rescue.map { $0.inRole(name) }
      block.always = block.always.map { $0.inRole(name) }
      copy.body = .block(block)
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

/// Where a variable's value came from, so an error points at the line to fix: `-e`, the
/// play's `vars`, or the inventory file and JSON path that set it.
struct VariableOrigins {
  let play: Play
  let host: InventoryHost
  let variables: Variables

  func location(of key: String) -> SourceLocation {
    if variables.extra[key] != nil {
      return SourceLocation(file: "-e", path: JSONPath([.key(key)]))
    }
    if play.variables[key] != nil {
      var location = play.source
      location.path = (play.source.path ?? .root).appending("vars").appending(key)
      return location
    }
    if let source = host.variableSources[key] { return source }
    let layer = host.hostVariables[key] != nil ? "host vars of '\(host.name)'" : "group vars"
    return SourceLocation(file: "inventory \(layer)", path: JSONPath([.key(key)]))
  }
}
