import Foundation

/// Decodes JSON tasks and handlers into `Step`s: the keywords Ansible users know, exactly one
/// module key per task. Module arguments are decoded later, per host and loop item, once
/// `{{ name }}` references can be resolved; the validator does that before anything runs.
struct TaskDecoder {
  let modules: ModuleRegistry
  let reader: DocumentReader
  /// The task files being read, outermost first, so a file including itself is refused.
  var including: [String] = []
  /// Roles in directories beside the playbook, for `import_role`/`include_role`.
  var roles: RoleDirectoryLoader?

  /// A task's keywords, each spelled once; any other key of a task names its module.
  enum Keyword: String, CodingKey, CaseIterable {
    case name, notify, when, loop, withItems = "with_items", loopControl = "loop_control"
    case register, changedWhen = "changed_when", failedWhen = "failed_when"
    case ignoreErrors = "ignore_errors", until, retries, delay, checkMode = "check_mode", diff
    case noLog = "no_log", runOnce = "run_once", block, rescue, always, meta
    case importTasks = "import_tasks", includeTasks = "include_tasks"
    case importRole = "import_role", includeRole = "include_role", vars, tags
    /// A handler's only keyword of its own.
    case listen
  }

  typealias KeyedTask = KeyedObject<Keyword>

  static let keywords = Keyword.allCases.filter { $0 != .listen }.map(\.rawValue)
  static let handlerKeywords = Keyword.allCases.map(\.rawValue)
  /// Ansible's collection prefixes for its builtin modules and actions (`ansible.builtin.meta`).
  static let builtinPrefixes = ["ansible.builtin.", "ansible.legacy."]

  /// A task key without its builtin collection prefix: `ansible.builtin.command` → `command`.
  static func shortName(_ key: String) -> String {
    for prefix in builtinPrefixes where key.hasPrefix(prefix) {
      return String(key.dropFirst(prefix.count))
    }
    return key
  }

  /// The key of `members` that is one of `keywords`, with or without its builtin prefix
  /// (`ansible.builtin.import_tasks`).
  static func key(in members: [String: JSONValue], _ keywords: Set<Keyword>) -> String? {
    members.keys.sorted().first { Keyword(rawValue: shortName($0)).map(keywords.contains) ?? false }
  }

  func steps(_ value: JSONValue?, at path: JSONPath) -> [Step] {
    guard let value, let list = reader.list(value, at: path, what: "tasks") else { return [] }
    return list.enumerated().compactMap { index, item in
      step(item, at: path.appending(index), keywords: Self.keywords)
    }
  }

  /// A play's handlers. A `block` there only groups handlers (Ansible flattens it: its name
  /// is no handler's, and a block nested in it is refused).
  func handlers(_ value: JSONValue?, at path: JSONPath) -> [Handler] {
    guard let value, let list = reader.list(value, at: path, what: "handlers") else { return [] }
    return list.enumerated().flatMap { index, item -> [Handler] in
      let itemPath = path.appending(index)
      if let members = item.objectValue, members[Keyword.block.rawValue] != nil {
        return groupedHandlers(KeyedTask(members: members, path: itemPath, reader: reader))
      }
      if let members = item.objectValue, let key = Self.key(in: members, [.importTasks]) {
        // The imported file's tasks are handlers, each under its own name.
        return taskFile(members[key], at: itemPath.appending(key)) { decoder, document in
          decoder.handlers(document, at: .root)
        }?.value ?? []
      }
      return handler(item, at: itemPath).map { [$0] } ?? []
    }
  }

  func groupedHandlers(_ group: KeyedTask) -> [Handler] {
    for key in [Keyword.rescue, .always] where group.contains(key) {
      group.problem(key, "a block of handlers cannot have '\(key.rawValue)'")
    }
    guard let block = group[.block],
      let list = reader.list(block, at: group.path(.block), what: "handlers")
    else { return [] }
    return list.enumerated().compactMap { index, item in
      let itemPath = group.path(.block).appending(index)
      if item.objectValue?[Keyword.block.rawValue] != nil {
        reader.problem(itemPath, "Using a block as a handler is not supported.")
        return nil
      }
      return handler(item, at: itemPath)
    }
  }

  func handler(_ item: JSONValue, at itemPath: JSONPath) -> Handler? {
    guard let step = step(item, at: itemPath, keywords: Self.handlerKeywords),
      let members = item.objectValue
    else { return nil }
    let handler = KeyedTask(members: members, path: itemPath, reader: reader)
    let listen = handler.strings(.listen).map { HandlerID($0) }
    if !handler.contains(.name) && listen.isEmpty {
      reader.problem(itemPath, "a handler needs a 'name' or a 'listen' topic")
    }
    if case .meta(.flushHandlers) = step.body {
      reader.problem(itemPath, "flush_handlers cannot be used as a handler")
    }
    if case .role(_, let included) = step.body {
      let key: Keyword = included ? .includeRole : .importRole
      reader.problem(itemPath, "Using '\(key.rawValue)' as a handler is not supported.")
    }
    // An unnamed handler answers only to its topics.
    let id = handler.contains(.name) ? HandlerID(step.name) : nil
    return Handler(id: id, listen: listen, step: step)
  }

  func step(_ value: JSONValue, at path: JSONPath, keywords: [String]) -> Step? {
    guard let members = reader.object(value, at: path, what: "a task") else { return nil }
    let task = KeyedTask(members: members, path: path, reader: reader)
    let source = reader.location(path)
    let moduleKeys = members.keys.filter { !keywords.contains(Self.shortName($0)) }.sorted()
    var name = task.string(.name) ?? ""
    let metaKey = Self.key(in: members, [.meta])
    let includeKey = Self.key(in: members, [.importTasks, .includeTasks])
    let roleKey = Self.key(in: members, [.importRole, .includeRole])
    if task.contains(.vars) && roleKey == nil {
      task.problem(.vars, "task 'vars' are supported on import_role/include_role only")
    }
    let body: Step.Body
    var defines: [String] = []
    if let roleKey {
      if !moduleKeys.isEmpty {
        reader.problem(
          path, "\(roleKey) cannot also run a module ('\(moduleKeys.joined(separator: "', '"))')")
      }
      guard
        let inclusion = roleInclusion(
          members[roleKey], parameters: task[.vars], at: path.appending(roleKey))
      else { return nil }
      body = .role(inclusion, included: Keyword(rawValue: Self.shortName(roleKey)) == .includeRole)
      if name.isEmpty { name = Self.shortName(roleKey) }
    } else if let includeKey {
      if !moduleKeys.isEmpty {
        reader.problem(
          path, "\(includeKey) cannot also run a module ('\(moduleKeys.joined(separator: "', '"))')"
        )
      }
      guard
        let (file, steps) = taskFile(
          members[includeKey], at: path.appending(includeKey),
          {
            decoder, document in decoder.steps(document, at: .root)
          })
      else { return nil }
      if Keyword(rawValue: Self.shortName(includeKey)) == .importTasks {
        body = .block(Block(steps: steps))
      } else {
        body = .include(TaskInclude(file: file, steps: steps))
      }
      if name.isEmpty { name = includeKey }
    } else if let block = task[.block] {
      if !moduleKeys.isEmpty {
        reader.problem(
          path, "a block cannot also run a module ('\(moduleKeys.joined(separator: "', '"))')")
      }
      body = .block(
        Block(
          steps: steps(block, at: task.path(.block)),
          rescue: steps(task[.rescue], at: task.path(.rescue)),
          always: steps(task[.always], at: task.path(.always))))
    } else if let metaKey, let meta = members[metaKey] {
      guard
        let action = reader.choice(
          meta, at: path.appending(metaKey), what: "meta action", as: MetaAction.self)
      else { return nil }
      body = .meta(action)
      if name.isEmpty { name = metaKey }
    } else {
      guard
        let module = moduleBody(members, moduleKeys: moduleKeys, keywords: keywords, at: path)
      else {
        return nil
      }
      body = module.body
      defines = module.defines
      if name.isEmpty { name = module.key }
    }
    var step = Step(name, body: body, source: source)
    step.defines = defines
    step.notify = notifications(task[.notify], at: task.path(.notify))
    step.when = conditions(task[.when], at: task.path(.when))
    step.changedWhen = conditions(task[.changedWhen], at: task.path(.changedWhen))
    step.failedWhen = conditions(task[.failedWhen], at: task.path(.failedWhen))
    step.register = task.string(.register)
    step.ignoreErrors = flag(task[.ignoreErrors], at: task.path(.ignoreErrors))
    step.checkMode = task.bool(.checkMode)
    step.showsDiff = task.bool(.diff) ?? true
    step.noLog = task.bool(.noLog) ?? false
    step.runOnce = flag(task[.runOnce], at: task.path(.runOnce))
    step.tags = task.tags(.tags)
    if task.contains(.loop), task.contains(.withItems) {
      reader.problem(path, "'loop' and 'with_items' are mutually exclusive")
    }
    if let loop = task[.loop] {
      step.loop = self.loop(loop, at: task.path(.loop))
    } else if let items = task[.withItems] {
      step.loop = self.loop(items, at: task.path(.withItems), flattening: true)
    }
    if let control = task[.loopControl] {
      step.loopControl = loopControl(control, at: task.path(.loopControl)) ?? LoopControl()
    }
    step.retry = retry(task)
    return step
  }

  /// `notify`: a name, a list of names, or a `{{ }}` reference that may be a list.
  func notifications(_ value: JSONValue?, at path: JSONPath) -> [HandlerID] {
    reader.strings(value, at: path).map { HandlerID($0) }
  }

  /// A boolean keyword that may also be a `{{ }}` expression judged per host.
  func flag(_ value: JSONValue?, at path: JSONPath) -> Condition? {
    guard let value else { return nil }
    if case .string(let text) = value, text.contains("{{") {
      return expression(text, at: path)
    }
    return reader.bool(value, at: path).map(Condition.always)
  }

  func moduleBody(
    _ members: [String: JSONValue], moduleKeys: [String], keywords: [String], at path: JSONPath
  ) -> (key: String, body: Step.Body, defines: [String])? {
    let known = modules.names.map(\.rawValue)
    let unknown = moduleKeys.filter { modules.type(named: Self.shortName($0)) == nil }
    for key in unknown {
      reader.problem(
        path.appending(key),
        "unknown module or task keyword '\(key)'"
          + Spelling.suggestion(for: key, in: known + keywords),
        note: "modules: " + known.joined(separator: ", "))
    }
    let found = moduleKeys.filter { modules.type(named: Self.shortName($0)) != nil }
    guard found.count == 1, let key = found.first,
      let type = modules.type(named: Self.shortName(key))
    else {
      if found.count > 1 {
        reader.problem(
          path, "a task runs exactly one module, found '\(found.joined(separator: "', '"))'")
      } else if unknown.isEmpty {
        reader.problem(
          path,
          "a task needs a module (one of: \(known.joined(separator: ", "))), 'block' or 'meta'")
      }
      return nil
    }
    let argumentsPath = path.appending(key)
    guard
      let arguments = FreeFormArguments.object(
        members[key] ?? .null, for: type, at: argumentsPath, reader: reader)
    else { return nil }
    let file = reader.file
    let recipe = ModuleRecipe(
      type.name,
      inputs: { scope in
        do {
          return try scope.variables.resolve(arguments, extra: scope.extraNames)
        } catch let error as DeferredReference {
          throw error
        } catch {
          throw DefinitionErrors([
            Diagnostic(at: SourceLocation(file: file, path: argumentsPath), "\(key): \(error)")
          ])
        }
      },
      make: { resolved in
        do {
          return try resolved.decode(type)
        } catch {
          throw DefinitionErrors(
            DecodingDiagnostics.describeAll(error).map { relative, message in
              Diagnostic(
                at: SourceLocation(file: file, path: argumentsPath.appending(relative)),
                "\(key): \(message)")
            })
        }
      })
    let defines = (type as? any VariableDefining.Type)?.names(definedBy: arguments) ?? []
    return (key, .module(recipe), defines)
  }

  /// `when`-style keywords: a boolean, an expression, or a list of expressions (all must hold).
  func conditions(_ value: JSONValue?, at path: JSONPath) -> Condition? {
    guard let value else { return nil }
    switch value {
    case .bool(let flag): return .always(flag)
    case .string(let text): return expression(text, at: path)
    case .array(let items):
      let parts = items.enumerated().compactMap { index, item -> Condition? in
        guard let text = reader.string(item, at: path.appending(index)) else { return nil }
        return expression(text, at: path.appending(index))
      }
      let text = parts.map(\.text).joined(separator: " and ")
      return Condition(text) { scope in try parts.allSatisfy { try $0.holds(in: scope) } }
    default:
      reader.problem(
        path,
        "expected a boolean, an expression string or a list of them, found \(value.typePhrase)")
      return nil
    }
  }

  func expression(_ text: String, at path: JSONPath) -> Condition? {
    do {
      return try Condition.parsing(text)
    } catch {
      reader.problem(path, "invalid expression '\(text)': \(error)")
      return nil
    }
  }

}
