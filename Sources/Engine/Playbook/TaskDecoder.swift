import Foundation

/// Decodes JSON tasks and handlers into `Step`s: the keywords Ansible users know, exactly one
/// module key per task. Module arguments are decoded later, per host and loop item, once
/// `{{ name }}` references can be resolved; the validator does that before anything runs.
struct TaskDecoder {
  let modules: ModuleRegistry
  let reader: DocumentReader

  static let keywords = [
    "name", "notify", "when", "loop", "loop_control", "register", "changed_when", "failed_when",
    "ignore_errors", "until", "retries", "delay", "check_mode", "diff", "no_log", "run_once",
    "block", "rescue", "always", "meta",
  ]
  static let handlerKeywords = keywords + ["listen"]

  func steps(_ value: JSONValue?, at path: JSONPath) -> [Step] {
    guard let value, let list = reader.list(value, at: path, what: "tasks") else { return [] }
    return list.enumerated().compactMap { index, item in
      step(item, at: path.appending(index), keywords: Self.keywords)
    }
  }

  func handlers(_ value: JSONValue?, at path: JSONPath) -> [Handler] {
    guard let value, let list = reader.list(value, at: path, what: "handlers") else { return [] }
    return list.enumerated().compactMap { index, item in
      let itemPath = path.appending(index)
      guard let step = step(item, at: itemPath, keywords: Self.handlerKeywords),
        let members = item.objectValue
      else { return nil }
      if step.name.isEmpty {
        reader.problem(itemPath, "a handler needs a 'name'")
      }
      if case .flushHandlers = step.body {
        reader.problem(itemPath, "flush_handlers cannot be used as a handler")
      }
      let listen = reader.strings(members["listen"], at: itemPath.appending("listen")).map {
        HandlerID($0)
      }
      return Handler(id: HandlerID(step.name), listen: listen, step: step)
    }
  }

  private func step(_ value: JSONValue, at path: JSONPath, keywords: [String]) -> Step? {
    guard let members = reader.object(value, at: path, what: "a task") else { return nil }
    let source = reader.location(path)
    let moduleKeys = members.keys.filter { !keywords.contains($0) }.sorted()
    var name = reader.string(members["name"], at: path.appending("name")) ?? ""
    let body: Step.Body
    if let block = members["block"] {
      if !moduleKeys.isEmpty {
        reader.problem(
          path, "a block cannot also run a module ('\(moduleKeys.joined(separator: "', '"))')")
      }
      body = .block(
        Block(
          steps: steps(block, at: path.appending("block")),
          rescue: steps(members["rescue"], at: path.appending("rescue")),
          always: steps(members["always"], at: path.appending("always"))))
    } else if let meta = members["meta"] {
      guard reader.string(meta, at: path.appending("meta")) == "flush_handlers" else {
        reader.problem(path.appending("meta"), "only 'meta: flush_handlers' is supported")
        return nil
      }
      body = .flushHandlers
      if name.isEmpty { name = "meta: flush_handlers" }
    } else {
      guard let module = moduleBody(members, moduleKeys: moduleKeys, keywords: keywords, at: path)
      else {
        return nil
      }
      body = module.body
      if name.isEmpty { name = module.name.rawValue }
    }
    var step = Step(name, body: body, source: source)
    step.notify = reader.strings(members["notify"], at: path.appending("notify")).map {
      HandlerID($0)
    }
    step.when = conditions(members["when"], at: path.appending("when"))
    step.changedWhen = conditions(members["changed_when"], at: path.appending("changed_when"))
    step.failedWhen = conditions(members["failed_when"], at: path.appending("failed_when"))
    step.register = reader.string(members["register"], at: path.appending("register"))
    step.ignoreErrors =
      reader.bool(members["ignore_errors"], at: path.appending("ignore_errors")) ?? false
    step.checkMode = reader.bool(members["check_mode"], at: path.appending("check_mode"))
    step.showsDiff = reader.bool(members["diff"], at: path.appending("diff")) ?? true
    step.noLog = reader.bool(members["no_log"], at: path.appending("no_log")) ?? false
    step.runOnce = reader.bool(members["run_once"], at: path.appending("run_once")) ?? false
    if let loop = members["loop"] { step.loop = self.loop(loop, at: path.appending("loop")) }
    if let control = members["loop_control"] {
      step.loopLabel = loopLabel(control, at: path.appending("loop_control"))
    }
    step.retry = retry(members, at: path)
    return step
  }

  private func moduleBody(
    _ members: [String: JSONValue], moduleKeys: [String], keywords: [String], at path: JSONPath
  ) -> (name: ModuleName, body: Step.Body)? {
    let known = modules.names.map(\.rawValue)
    let unknown = moduleKeys.filter { modules.type(named: $0) == nil }
    for key in unknown {
      reader.problem(
        path.appending(key),
        "unknown module or task keyword '\(key)'"
          + Spelling.suggestion(for: key, in: known + keywords),
        note: "modules: " + known.joined(separator: ", "))
    }
    let found = moduleKeys.filter { modules.type(named: $0) != nil }
    guard found.count == 1, let key = found.first, let type = modules.type(named: key) else {
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
    let arguments = members[key] ?? .object([:])
    let argumentsPath = path.appending(key)
    guard case .object = arguments else {
      reader.problem(
        argumentsPath, "expected the module's arguments as an object, found \(arguments.typeName)")
      return nil
    }
    let file = reader.file
    let build: @Sendable (StepScope) throws -> any Module = { scope in
      let resolved: JSONValue
      do {
        resolved = try scope.variables.resolve(arguments, extra: scope.extraNames)
      } catch let error as DeferredReference {
        throw error
      } catch {
        throw DefinitionErrors([
          Diagnostic(at: SourceLocation(file: file, path: argumentsPath), "\(key): \(error)")
        ])
      }
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
    }
    return (type.name, .module(type.name, build))
  }

  /// `when`-style keywords: a boolean, an expression, or a list of expressions (all must hold).
  private func conditions(_ value: JSONValue?, at path: JSONPath) -> Condition? {
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
        path, "expected a boolean, an expression string or a list of them, found \(value.typeName)")
      return nil
    }
  }

  private func expression(_ text: String, at path: JSONPath) -> Condition? {
    var body = text.trimmingCharacters(in: .whitespaces)
    if body.hasPrefix("{{") && body.hasSuffix("}}") {
      body = String(body.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
    }
    do {
      return try Expression(body).condition()
    } catch {
      reader.problem(path, "invalid expression '\(text)': \(error)")
      return nil
    }
  }

  private func loop(
    _ value: JSONValue, at path: JSONPath
  ) -> (@Sendable (StepScope) throws -> [JSONValue])? {
    switch value {
    case .array(let items):
      return { scope in
        try items.map { try scope.variables.resolve($0, extra: scope.extraNames) }
      }
    case .string(let text) where text.contains("{{"):
      let file = reader.file
      return { scope in
        let resolved = try scope.variables.resolve(value, extra: scope.extraNames)
        guard case .array(let items) = resolved else {
          throw DefinitionErrors([
            Diagnostic(
              at: SourceLocation(file: file, path: path),
              "loop '\(text)' must be a list, found \(resolved.typeName)")
          ])
        }
        return items
      }
    default:
      reader.problem(
        path, "expected a list or a '{{ name }}' reference to a list, found \(value.typeName)")
      return nil
    }
  }

  private func loopLabel(_ value: JSONValue, at path: JSONPath) -> (
    @Sendable (JSONValue) -> String
  )? {
    guard let members = reader.object(value, at: path, what: "loop_control") else { return nil }
    reader.rejectUnknown(members, known: ["label"], at: path, what: "loop_control")
    guard let label = reader.string(members["label"], at: path.appending("label")) else {
      return nil
    }
    return { item in
      let variables = Variables(layers: [])
      return (try? variables.resolve(.string(label), extra: ["item": item]).interpolated) ?? label
    }
  }

  private func retry(_ members: [String: JSONValue], at path: JSONPath) -> RetryPolicy? {
    let until = conditions(members["until"], at: path.appending("until"))
    let retries = reader.int(members["retries"], at: path.appending("retries"), in: 0...10_000)
    let delay = reader.int(members["delay"], at: path.appending("delay"), in: 0...86_400)
    guard until != nil || retries != nil else {
      if delay != nil {
        reader.problem(path.appending("delay"), "'delay' needs 'until' or 'retries'")
      }
      return nil
    }
    // `retries` alone retries until the step does not fail (ansible-core 2.16+).
    let condition =
      until ?? Condition("result is not failed") { scope in !(scope.result?.failed ?? false) }
    return RetryPolicy(until: condition, retries: retries ?? 3, delaySeconds: Double(delay ?? 5))
  }
}
