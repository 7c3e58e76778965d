import Foundation

/// A host's variables after precedence was applied, with `{{ name }}` references resolved on
/// read. Precedence, low to high, as in Ansible: inventory group vars < inventory host vars <
/// play vars < registered results < extra vars (`-e`). Role variables are typed and built from
/// these (see `RoleInstantiation`).
public struct Variables: Sendable {
  public private(set) var values: [String: JSONValue]
  public private(set) var registered: [String: JSONValue]
  public let extra: [String: JSONValue]
  /// The runner's environment, read as `{{ env.NAME }}`.
  public let environment: [String: String]
  /// Names that will exist only at run time (registered by a step); lookups of them before
  /// that throw `DeferredReference`, which validation treats as "check later".
  public var deferred: Set<String>
  /// Names whose values are secret (secret role variables and what their values refer to):
  /// an error met while resolving through one of them does not quote the value's text.
  public var secretNames: Set<String> = []

  public init(
    layers: [[String: JSONValue]], extra: [String: JSONValue] = [:],
    environment: [String: String] = [:], deferred: Set<String> = []
  ) {
    var merged: [String: JSONValue] = [:]
    for layer in layers { merged.merge(layer) { _, new in new } }
    self.values = merged
    self.registered = [:]
    self.extra = extra
    self.environment = environment
    self.deferred = deferred
  }

  public mutating func register(_ name: String, _ value: JSONValue) {
    registered[name] = value
    deferred.remove(name)
  }

  /// The raw (unresolved) value of a top-level name, highest precedence first.
  public func raw(_ name: String) -> JSONValue? {
    extra[name] ?? registered[name] ?? values[name]
  }

  /// Every variable as another host's step reads it through `hostvars` (raw values, highest
  /// precedence winning; references inside are left as written).
  public var visibleValues: [String: JSONValue] {
    values.merging(registered) { _, new in new }.merging(extra) { _, new in new }
  }

  /// All names that are defined, for suggestions.
  public var names: Set<String> {
    Set(values.keys).union(registered.keys).union(extra.keys).union(["env"])
  }

  /// Resolves a dotted name (`a.b.c`, `list.0`) to a fully resolved value.
  public func lookup(_ name: String, extra scopeNames: [String: JSONValue] = [:]) throws
    -> JSONValue
  {
    var resolving: [String] = []
    return try lookup(name, scopeNames: scopeNames, resolving: &resolving)
  }

  /// `names` and every variable their values refer to, transitively: all the variables a
  /// secret's value is made of (`dbpassword` → `vault_db_password`).
  public func referenceClosure(of names: Set<String>) -> Set<String> {
    var closure = names
    var pending = Array(names)
    while let name = pending.popLast() {
      for reference in raw(name)?.references ?? [] {
        let head = String(reference.prefix { $0 != "." })
        if closure.insert(head).inserted { pending.append(head) }
      }
    }
    return closure
  }

  /// The texts of every secret name that resolves (a list's or object's strings each), to
  /// be masked in messages that may quote a value.
  public var secretValues: [String] {
    secretNames.sorted().flatMap { name in (try? lookup(name))?.secretTexts ?? [] }
  }

  /// Substitutes every `{{ name }}` in a value (strings inside lists and objects too).
  public func resolve(_ value: JSONValue, extra scopeNames: [String: JSONValue] = [:]) throws
    -> JSONValue
  {
    var resolving: [String] = []
    return try resolve(value, scopeNames: scopeNames, resolving: &resolving)
  }

  private func lookup(
    _ name: String, scopeNames: [String: JSONValue], resolving: inout [String]
  ) throws -> JSONValue {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let head = parts.first, !head.isEmpty else {
      throw TemplateError.invalidExpression(name)
    }
    if head == "env" {
      guard parts.count == 2 else { throw TemplateError.invalidExpression(name) }
      guard let value = environment[parts[1]] else {
        throw TemplateError.undefined(name, suggestion: nil)
      }
      return .string(value)
    }
    var value: JSONValue
    if let scoped = scopeNames[head], extra[head] == nil {
      value = scoped
    } else if extra[head] == nil, let found = registered[head] {
      // A step's result (and set_fact's values) is data, evaluated when the step ran: never
      // templated again (Ansible marks it unsafe), so a command's output with `{{ }}` in it
      // stays text instead of running as an expression.
      value = found
    } else if let found = raw(head) {
      if resolving.contains(head) {
        throw TemplateError.cycle(resolving + [head])
      }
      resolving.append(head)
      do {
        value = try resolve(found, scopeNames: scopeNames, resolving: &resolving)
      } catch let error as TemplateError {
        throw error.located(in: head, hidingText: !secretNames.isDisjoint(with: resolving))
      }
      resolving.removeLast()
    } else if deferred.contains(head) {
      throw DeferredReference(name: head)
    } else {
      throw TemplateError.undefined(
        name, suggestion: Spelling.closest(to: head, in: names.union(scopeNames.keys)))
    }
    for part in parts.dropFirst() {
      switch value {
      case .object(let members) where members[part] != nil:
        value = members[part, default: .null]
      case .array(let elements) where Int(part).map(elements.indices.contains) == true:
        value = elements[Int(part) ?? 0]
      default:
        throw TemplateError.undefined(name, suggestion: nil)
      }
    }
    return value
  }

  private func resolve(
    _ value: JSONValue, scopeNames: [String: JSONValue], resolving: inout [String]
  ) throws -> JSONValue {
    switch value {
    case .string(let text):
      guard text.contains("{{") else { return value }
      let template = try StrictTemplate(text)
      if let only = template.singleReference {
        return try lookup(only, scopeNames: scopeNames, resolving: &resolving)
      }
      if template.pieces.count == 1, case .expression(let expression) = template.pieces[0] {
        return try expression.evaluate {
          try lookup($0, scopeNames: scopeNames, resolving: &resolving)
        }
      }
      var out = ""
      for piece in template.pieces {
        switch piece {
        case .text(let literal): out += literal
        case .reference(let name):
          out += try lookup(name, scopeNames: scopeNames, resolving: &resolving).interpolated
        case .expression(let expression):
          out += try expression.evaluate {
            try lookup($0, scopeNames: scopeNames, resolving: &resolving)
          }.interpolated
        }
      }
      return .string(out)
    case .array(let elements):
      return .array(
        try elements.map { try resolve($0, scopeNames: scopeNames, resolving: &resolving) })
    case .object(let members):
      var out: [String: JSONValue] = [:]
      for (key, member) in members {
        out[key] = try resolve(member, scopeNames: scopeNames, resolving: &resolving)
      }
      return .object(out)
    default:
      return value
    }
  }
}

/// A reference to a name a later step registers; validation defers such values to run time.
public struct DeferredReference: Error, Sendable {
  public var name: String
  public init(name: String) { self.name = name }
}
