import Foundation

/// The repeating keywords: `loop`/`with_items`, `loop_control`, and `until`/`retries`/`delay`.
extension TaskDecoder {
  /// `loop` (a list, or a `{{ }}` reference to one); `with_items` flattens one level of
  /// nested lists, as Ansible's `items` lookup does.
  func loop(
    _ value: JSONValue, at path: JSONPath, flattening: Bool = false
  ) -> (@Sendable (StepScope) throws -> [JSONValue])? {
    let flatten: @Sendable ([JSONValue]) -> [JSONValue] = { items in
      guard flattening else { return items }
      return items.flatMap { item -> [JSONValue] in
        if case .array(let inner) = item { return inner }
        return [item]
      }
    }
    switch value {
    case .array(let items):
      return { scope in
        flatten(try items.map { try scope.variables.resolve($0, extra: scope.extraNames) })
      }
    case .string(let text) where text.contains("{{"):
      let file = reader.file
      return { scope in
        let resolved = try scope.variables.resolve(value, extra: scope.extraNames)
        guard case .array(let items) = resolved else {
          throw DefinitionErrors([
            Diagnostic(
              at: SourceLocation(file: file, path: path),
              "loop '\(text)' must be a list, found \(resolved.typePhrase)")
          ])
        }
        return flatten(items)
      }
    default:
      reader.problem(
        path, "expected a list or a '{{ name }}' reference to a list, found \(value.typePhrase)")
      return nil
    }
  }

  /// The keys of `loop_control`.
  enum LoopControlKey: String, CodingKey, CaseIterable {
    case label, loopVar = "loop_var", indexVar = "index_var", extended, breakWhen = "break_when"
  }

  func loopControl(_ value: JSONValue, at path: JSONPath) -> LoopControl? {
    guard
      let keys = reader.object(
        value, at: path, what: "loop_control", keys: LoopControlKey.self, kind: "loop_control")
    else { return nil }
    var control = LoopControl()
    if let name = keys.string(.loopVar) { control.variable = name }
    control.indexVariable = keys.string(.indexVar)
    control.extended = keys.bool(.extended) ?? false
    control.breakWhen = conditions(keys[.breakWhen], at: keys.path(.breakWhen))
    if let label = keys.string(.label) {
      let variable = control.variable
      control.label = { item in
        let variables = Variables(layers: [])
        return (try? variables.resolve(.string(label), extra: [variable: item]).interpolated)
          ?? label
      }
    }
    return control
  }

  func retry(_ task: KeyedTask) -> RetryPolicy? {
    let until = conditions(task[.until], at: task.path(.until))
    let retries = task.int(.retries, in: 0...10_000)
    let delay = task.int(.delay, in: 0...86_400)
    guard until != nil || retries != nil else {
      if delay != nil { task.problem(.delay, "'delay' needs 'until' or 'retries'") }
      return nil
    }
    // `retries` alone retries until the step does not fail (ansible-core 2.16+).
    let condition =
      until ?? Condition("result is not failed") { scope in !(scope.result?.failed ?? false) }
    return RetryPolicy(until: condition, retries: retries ?? 3, delaySeconds: Double(delay ?? 5))
  }
}
