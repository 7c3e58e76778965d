public import Foundation

/// Turns a JSON playbook into `Play`s: Ansible's keywords, one module key per task holding
/// that module's arguments (decoded by the module's own type, per host, after `{{ name }}`
/// references are resolved). Every problem of the document is reported at once.
///
/// ```json
/// [{ "name": "Deploy", "hosts": "web", "vars": {"port": 80},
///    "roles": [{"role": "dci_api", "vars": {"dci_api_container_scale": 2}}],
///    "tasks": [{"name": "Render", "template": {"src": "a.j2", "dest": "/etc/a"}, "notify": "Restart"}],
///    "handlers": [{"name": "Restart", "systemd": {"name": "a.service", "state": "restarted"}}] }]
/// ```
public struct PlaybookLoader: Sendable {
  public let modules: ModuleRegistry
  /// Opens vault files among a play's `vars_files`; nil: a vault there is an error.
  public var vault: (any VaultDecryptor)?

  public init(modules: ModuleRegistry, vault: (any VaultDecryptor)? = nil) {
    self.modules = modules
    self.vault = vault
  }

  /// A play's keywords, each spelled once.
  enum PlayKey: String, CodingKey, CaseIterable {
    case name, hosts, vars, varsFiles = "vars_files", preTasks = "pre_tasks", roles, tasks
    case postTasks = "post_tasks", handlers, forceHandlers = "force_handlers", become, serial
    case anyErrorsFatal = "any_errors_fatal", maxFailPercentage = "max_fail_percentage"
    case gatherFacts = "gather_facts", checkMode = "check_mode", strategy, tags
  }

  /// The keys of a `{"role": …}` entry in `roles` or a role's `dependencies`.
  enum RoleEntryKey: String, CodingKey, CaseIterable { case role, vars, tags }

  public func load(_ data: Data, file: String) throws -> Playbook {
    let document: JSONValue
    do {
      document = try JSONValue.parse(data)
    } catch {
      throw DefinitionErrors([Self.diagnostic(for: error, in: file)])
    }
    let reader = DocumentReader(file: file)
    let roles = RoleDirectoryLoader(playbook: file, modules: modules)
    var plays: [Play] = []
    if let list = reader.list(document, at: .root, what: "the playbook (a list of plays)") {
      if list.isEmpty { reader.problem(.root, "the playbook has no plays") }
      for (index, value) in list.enumerated() {
        if let play = play(
          value, at: JSONPath.root.appending(index), reader: reader, roles: roles)
        {
          plays.append(play)
        }
      }
    }
    reader.absorb(roles.problems)
    if !reader.problems.isEmpty { throw DefinitionErrors(reader.problems) }
    return Playbook(plays: plays, source: file)
  }

  /// One of a play's `vars_files`: JSON or YAML, perhaps a vault, relative to the playbook.
  private func varsFile(_ name: String, at path: JSONPath, reader: DocumentReader)
    -> [String: JSONValue]
  {
    if name.contains("{{") {
      reader.problem(
        path, "vars_files names with variables ('\(name)') are not supported: give the path")
      return [:]
    }
    let folder = URL(fileURLWithPath: reader.file).deletingLastPathComponent()
    let file = name.hasPrefix("/") ? name : folder.appending(path: name).standardizedFileURL.path
    guard let data = FileManager.default.contents(atPath: file) else {
      reader.problem(path, "vars file '\(file)' does not exist or cannot be read")
      return [:]
    }
    do {
      let value = try VarsFile.parse(data, file: file, vault: vault)
      if case .null = value { return [:] }
      guard case .object(let vars) = value else {
        reader.problem(path, "vars file '\(file)' must hold a mapping, found \(value.typePhrase)")
        return [:]
      }
      return vars
    } catch let error as DefinitionErrors {
      reader.absorb(error.problems)
    } catch {
      reader.problem(path, "vars file '\(file)': \(error)")
    }
    return [:]
  }

  private func play(
    _ value: JSONValue, at path: JSONPath, reader: DocumentReader, roles: RoleDirectoryLoader
  ) -> Play? {
    guard
      let keys = reader.object(value, at: path, what: "a play", keys: PlayKey.self, kind: "play")
    else { return nil }
    var play = Play(source: reader.location(path))
    play.namesHostVariables = value.compactJSON.contains("hostvars")
    play.name = keys.string(.name)
    if keys.contains(.hosts) {
      let names = keys.strings(.hosts)
      if names.isEmpty { keys.problem(.hosts, "a play needs at least one host pattern") }
      play.hosts = names.joined(separator: ",")
    } else {
      reader.problem(path, "a play needs 'hosts' (a host, group or pattern such as \"all\")")
    }
    if let vars = keys.object(.vars, what: "vars") { play.variables = vars }
    for (index, name) in keys.strings(.varsFiles).enumerated() {
      let at = keys.path(.varsFiles).appending(index)
      // above the play's vars, later files over earlier ones (Ansible's order)
      play.variables.merge(varsFile(name, at: at, reader: reader)) { _, new in new }
    }
    let tasks = roles.decoder(reader)
    play.preSteps = tasks.steps(keys[.preTasks], at: keys.path(.preTasks))
    play.steps = tasks.steps(keys[.tasks], at: keys.path(.tasks))
    play.postSteps = tasks.steps(keys[.postTasks], at: keys.path(.postTasks))
    play.handlers = tasks.handlers(keys[.handlers], at: keys.path(.handlers))
    play.roles = Self.roleInclusions(
      keys[.roles], at: keys.path(.roles), reader: reader, roles: roles)
    play.forceHandlers = keys.bool(.forceHandlers)
    play.checkMode = keys.bool(.checkMode)
    play.become = keys.bool(.become)
    play.tags = keys.tags(.tags)
    play.anyErrorsFatal = keys.bool(.anyErrorsFatal) ?? false
    if let gather = keys.bool(.gatherFacts), gather {
      keys.problem(.gatherFacts, "fact gathering is not supported; remove it or set it to false")
    }
    if let strategy = keys.choice(.strategy, as: Strategy.self) { play.strategy = strategy }
    if let percent = keys.int(.maxFailPercentage, in: 0...100) {
      play.maxFailPercentage = Double(percent)
    }
    if let serial = keys[.serial] {
      play.serial = Self.serial(serial, at: keys.path(.serial), reader: reader)
    }
    return play
  }

  static func serial(_ value: JSONValue, at path: JSONPath, reader: DocumentReader) -> Serial? {
    switch value {
    case .int(let count) where count > 0: return .count(count)
    case .string(let text) where text.hasSuffix("%"):
      if let percent = Double(text.dropLast()), percent > 0, percent <= 100 {
        return .percent(percent)
      }
    case .array(let items):
      let parts = items.enumerated().compactMap {
        serial($1, at: path.appending($0), reader: reader)
      }
      return parts.count == items.count && !parts.isEmpty ? .steps(parts) : nil
    default: break
    }
    reader.problem(
      path, "expected a positive integer, a percentage such as \"30%\", or a list of them")
    return nil
  }

  /// A play's `roles` or a role's meta `dependencies`: names or `{role, vars}` entries; a
  /// name with a directory beside the playbook is that directory's role.
  static func roleInclusions(
    _ value: JSONValue?, at path: JSONPath, reader: DocumentReader, roles: RoleDirectoryLoader
  ) -> [RoleInclusion] {
    guard let value, let list = reader.list(value, at: path, what: "roles") else { return [] }
    return list.enumerated().compactMap { index, entry in
      let entryPath = path.appending(index)
      let source = reader.location(entryPath)
      let name: String?
      var parameters: [String: JSONValue] = [:]
      var tags: Set<String> = []
      switch entry {
      case .string(let text):
        name = text
      case .object:
        guard
          let keys = reader.object(
            entry, at: entryPath, what: "a role entry", keys: RoleEntryKey.self, kind: "role entry")
        else { return nil }
        tags = keys.tags(.tags)
        name = keys.string(.role)
        if name == nil, !keys.contains(.role) {
          reader.problem(entryPath, "a role entry needs 'role' (the role's name)")
        }
        parameters = keys.object(.vars, what: "role vars") ?? [:]
      default:
        reader.problem(
          entryPath,
          "expected a role name or {\"role\": …, \"vars\": {…}}, found \(entry.typePhrase)"
        )
        return nil
      }
      guard let name else { return nil }
      var inclusion: RoleInclusion
      switch roles.role(named: name, at: source) {
      case .found(let role): inclusion = RoleInclusion(role, parameters: parameters, source: source)
      case .failed: return nil
      case .none:
        // An unknown name is reported when the play is compiled, with the other role problems.
        inclusion = RoleInclusion(name, parameters: parameters, source: source)
      }
      inclusion.tags = tags
      return inclusion
    }
  }

  /// A JSON syntax error as a problem of `file`, at its line, column and JSON path.
  public static func diagnostic(for error: JSONSyntaxError, in file: String) -> Diagnostic {
    Diagnostic(at: SourceLocation(file: file, syntaxError: error), "invalid JSON: \(error.message)")
  }
}
