/// Evaluation of the parsed tree. Values follow Jinja's (that is, Python's) rules because users
/// copy conditions from Ansible: `and`/`or` return an operand, `true == 1`, `'b' in 'abc'`.
/// Errors from the caller's lookup are never wrapped, so callers see their own undefined error.
extension ExpressionNode {
  func evaluate(_ lookup: (String) throws -> JSONValue) throws -> JSONValue {
    switch self {
    case .literal(let value):
      return value
    case .list(let elements):
      return .array(try elements.map { try $0.evaluate(lookup) })
    case .mapping(let members):
      return .object(try members.mapValues { try $0.evaluate(lookup) })
    case .variable(let path):
      return try lookup(path)
    case .item(let base, let key, let source):
      let container = try base.evaluate(lookup)
      guard let value = Self.element(of: container, at: try key.evaluate(lookup)) else {
        throw TemplateError.undefined(source, suggestion: nil)
      }
      return value
    case .negate(let operand, let column):
      return try Self.negate(try operand.evaluate(lookup), column: column)
    case .not(let operand):
      return .bool(!(try operand.evaluate(lookup).isTruthy))
    case .and(let lhs, let rhs):
      let value = try lhs.evaluate(lookup)
      return value.isTruthy ? try rhs.evaluate(lookup) : value
    case .or(let lhs, let rhs):
      let value = try lhs.evaluate(lookup)
      return value.isTruthy ? value : try rhs.evaluate(lookup)
    case .compare(let first, let steps):
      var lhs = try first.evaluate(lookup)
      for step in steps {
        let rhs = try step.operand.evaluate(lookup)
        guard try Self.compare(lhs, step.comparison, rhs, column: step.column) else {
          return .bool(false)
        }
        lhs = rhs
      }
      return .bool(true)
    case .test(let operand, let test, let negated, let column):
      return .bool(try operand.passes(test, column: column, lookup) != negated)
    case .filter(let operand, let filter, let column):
      return try operand.apply(filter, column: column, lookup)
    case .concatenate(let lhs, let rhs):
      return .string(try lhs.evaluate(lookup).interpolated + rhs.evaluate(lookup).interpolated)
    }
  }

  /// The value, or nil when it is undefined: what `is defined` and `default` ask. Anything the
  /// lookup throws counts as undefined, except a `DeferredReference` (a name a later step
  /// registers: validation must defer, not conclude "undefined") and this language's own
  /// errors (a type error is not an undefined value).
  private func definedValue(_ lookup: (String) throws -> JSONValue) throws -> JSONValue? {
    do {
      return try evaluate(lookup)
    } catch let error as ExpressionError {
      throw error
    } catch let error as DeferredReference {
      throw error
    } catch {
      return nil
    }
  }

  // MARK: - Tests

  private func passes(
    _ test: ExpressionTest, column: Int, _ lookup: (String) throws -> JSONValue
  ) throws -> Bool {
    switch test {
    case .defined: return try definedValue(lookup) != nil
    case .undefined: return try definedValue(lookup) == nil
    default: break
    }
    let value = try evaluate(lookup)
    switch test {
    case .defined, .undefined: return false
    case .none: return value == .null
    case .true: return value == .bool(true)
    case .false: return value == .bool(false)
    case .string: return value.stringValue != nil
    // Python's bool is a number, so Jinja says `true is number`.
    case .number: return Self.number(value) != nil
    // Jinja's `sequence` is "has a length and items": strings and objects included.
    case .sequence:
      if case .array = value { return true }
      return value.stringValue != nil || value.objectValue != nil
    case .mapping: return value.objectValue != nil
    case .changed: return try Self.result(value, test, column: column).changed
    case .failed: return try Self.result(value, test, column: column).failed
    case .success, .succeeded, .successful:
      return try !Self.result(value, test, column: column).failed
    case .skipped: return try Self.result(value, test, column: column).skipped
    }
  }

  /// The flags Ansible's result tests read: missing keys are false, and a loop result without
  /// its own `changed` is changed when any item is (`ansible/plugins/test/core.py`).
  private static func result(_ value: JSONValue, _ test: ExpressionTest, column: Int)
    throws(ExpressionError) -> (changed: Bool, failed: Bool, skipped: Bool)
  {
    guard let members = value.objectValue else {
      throw .invalidOperation(
        "the '\(test.rawValue)' test expects a task result (an object), got \(value.typeName)",
        column: column)
    }
    var changed = members["changed"]?.isTruthy ?? false
    if members["changed"] == nil, let items = members["results"]?.arrayValue {
      changed = items.contains { $0.objectValue?["changed"]?.isTruthy ?? false }
    }
    return (
      changed, members["failed"]?.isTruthy ?? false, members["skipped"]?.isTruthy ?? false
    )
  }

  // MARK: - Filters

  private func apply(
    _ filter: ExpressionFilter, column: Int, _ lookup: (String) throws -> JSONValue
  ) throws -> JSONValue {
    if case .default(let fallback, let boolean) = filter {
      guard let value = try definedValue(lookup) else { return try fallback.evaluate(lookup) }
      if let boolean, try boolean.evaluate(lookup).isTruthy, !value.isTruthy {
        return try fallback.evaluate(lookup)
      }
      return value
    }
    let value = try evaluate(lookup)
    switch filter {
    case .default: return value
    case .bool: return .bool(Self.bool(value))
    case .int: return .int(Self.int(value))
    case .length:
      switch value {
      case .string(let text): return .int(text.unicodeScalars.count)
      case .array(let elements): return .int(elements.count)
      case .object(let members): return .int(members.count)
      default:
        throw ExpressionError.invalidOperation(
          "filter 'length' needs a string, list or object, got \(value.typeName)", column: column)
      }
    case .lower: return .string(try Self.text(value, "lower", column: column).lowercased())
    case .upper: return .string(try Self.text(value, "upper", column: column).uppercased())
    case .trim:
      return .string(Self.trimmed(try Self.text(value, "trim", column: column)))
    }
  }

  /// Ansible's `bool` filter: `true`, `1` and the strings yes/on/1/true (any case) are true,
  /// everything else false.
  private static func bool(_ value: JSONValue) -> Bool {
    switch value {
    case .bool(let flag): flag
    case .int(let number): number == 1
    case .double(let number): number == 1
    case .string(let text): ["yes", "on", "1", "true"].contains(text.lowercased())
    default: false
    }
  }

  /// Jinja's `int` filter: numbers truncate, booleans are 0/1, numeric strings parse (a decimal
  /// one truncates), and anything else is 0.
  private static func int(_ value: JSONValue) -> Int {
    switch value {
    case .bool(let flag): return flag ? 1 : 0
    case .int(let number): return number
    case .double(let number): return truncated(number)
    case .string(let text):
      let trimmed = trimmed(text)
      if let number = Int(trimmed) { return number }
      let numeric = !trimmed.isEmpty && trimmed.allSatisfy { "0123456789.eE+-".contains($0) }
      return numeric ? Double(trimmed).map(truncated) ?? 0 : 0
    default: return 0
    }
  }

  /// `text` without leading and trailing whitespace, as Python's `strip()`.
  private static func trimmed(_ text: String) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }),
      let last = text.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(text[first...last])
  }

  private static func truncated(_ number: Double) -> Int {
    number.isFinite ? Int(exactly: number.rounded(.towardZero)) ?? 0 : 0
  }

  /// The text `lower`/`upper`/`trim` work on: a string, or a scalar as Python's `str` prints
  /// it (`True`, `None`); lists and objects are a mistake worth reporting.
  private static func text(_ value: JSONValue, _ filter: String, column: Int)
    throws(ExpressionError) -> String
  {
    switch value {
    case .string(let text): return text
    case .bool(let flag): return flag ? "True" : "False"
    case .int(let number): return String(number)
    case .double(let number): return String(number)
    case .null: return "None"
    case .array, .object:
      throw .invalidOperation(
        "filter '\(filter)' needs a string, got \(value.typeName)", column: column)
    }
  }

  // MARK: - Values

  /// `container[key]` as Jinja reads it; nil (undefined) when there is no such element.
  private static func element(of container: JSONValue, at key: JSONValue) -> JSONValue? {
    switch (container, key) {
    case (.object(let members), .string(let name)):
      return members[name]
    case (.array(let elements), .int(let index)):
      let position = index < 0 ? elements.count + index : index
      return elements.indices.contains(position) ? elements[position] : nil
    case (.string(let text), .int(let index)):
      let characters = Array(text)
      let position = index < 0 ? characters.count + index : index
      return characters.indices.contains(position) ? .string(String(characters[position])) : nil
    default:
      return nil
    }
  }

  private static func negate(_ value: JSONValue, column: Int) throws(ExpressionError) -> JSONValue {
    switch number(value) {
    case .int(let number)?:
      let (negated, overflow) = 0.subtractingReportingOverflow(number)
      if !overflow { return .int(negated) }
    case .double(let number)?:
      return .double(-number)
    default:
      break
    }
    throw .invalidOperation("cannot negate \(value.typeName)", column: column)
  }

  /// A number for comparison and negation; booleans count, as in Python.
  static func number(_ value: JSONValue) -> JSONValue? {
    switch value {
    case .int, .double: value
    case .bool(let flag): .int(flag ? 1 : 0)
    default: nil
    }
  }
}
