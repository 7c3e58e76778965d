/// Comparisons with Python's rules, which Jinja inherits: numbers compare by value whatever
/// their type (`1 == 1.0`, `true == 1`), other values are equal only to their own kind, and
/// ordering values of different kinds is an error rather than a guess.
extension ExpressionNode {
  static func compare(
    _ lhs: JSONValue, _ comparison: Comparison, _ rhs: JSONValue, column: Int
  ) throws(ExpressionError) -> Bool {
    switch comparison {
    case .equal: return equal(lhs, rhs)
    case .notEqual: return !equal(lhs, rhs)
    case .less: return try order(lhs, rhs, comparison, column: column) < 0
    case .lessOrEqual: return try order(lhs, rhs, comparison, column: column) <= 0
    case .greater: return try order(lhs, rhs, comparison, column: column) > 0
    case .greaterOrEqual: return try order(lhs, rhs, comparison, column: column) >= 0
    case .in: return try contains(rhs, lhs, column: column)
    case .notIn: return try !contains(rhs, lhs, column: column)
    }
  }

  static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    if let left = number(lhs), let right = number(rhs) {
      return numericOrder(left, right) == 0
    }
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.string(let left), .string(let right)): return left == right
    case (.array(let left), .array(let right)):
      return left.count == right.count && zip(left, right).allSatisfy(equal)
    case (.object(let left), .object(let right)):
      return left.count == right.count
        && left.allSatisfy { key, value in right[key].map { equal(value, $0) } ?? false }
    default: return false
    }
  }

  /// Negative, zero or positive as `lhs` sorts before, with or after `rhs`. Strings compare
  /// by Unicode code points as Python does (not Swift's canonical ordering); lists compare
  /// element by element.
  private static func order(
    _ lhs: JSONValue, _ rhs: JSONValue, _ comparison: Comparison, column: Int
  ) throws(ExpressionError) -> Int {
    if let left = number(lhs), let right = number(rhs) {
      return numericOrder(left, right)
    }
    switch (lhs, rhs) {
    case (.string(let left), .string(let right)):
      if left == right { return 0 }
      return left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars) ? -1 : 1
    case (.array(let left), .array(let right)):
      for (leftElement, rightElement) in zip(left, right) where !equal(leftElement, rightElement) {
        return try order(leftElement, rightElement, comparison, column: column)
      }
      return left.count - right.count
    default:
      throw .invalidOperation(
        "'\(comparison.rawValue)' cannot compare \(lhs.typeName) with \(rhs.typeName)",
        column: column)
    }
  }

  /// Integers compare exactly; a double on either side compares as doubles.
  private static func numericOrder(_ lhs: JSONValue, _ rhs: JSONValue) -> Int {
    if case .int(let left) = lhs, case .int(let right) = rhs {
      return left < right ? -1 : (left == right ? 0 : 1)
    }
    let left = asDouble(lhs)
    let right = asDouble(rhs)
    return left < right ? -1 : (left == right ? 0 : 1)
  }

  private static func asDouble(_ value: JSONValue) -> Double {
    switch value {
    case .int(let number): Double(number)
    case .double(let number): number
    default: .nan
    }
  }

  /// `element in container`: list membership, substring, or object key.
  private static func contains(_ container: JSONValue, _ element: JSONValue, column: Int)
    throws(ExpressionError) -> Bool
  {
    switch container {
    case .array(let elements):
      return elements.contains { equal($0, element) }
    case .object(let members):
      return element.stringValue.map { members[$0] != nil } ?? false
    case .string(let text):
      guard let needle = element.stringValue else {
        throw .invalidOperation(
          "'in' needs a string on the left of a string, got \(element.typeName)", column: column)
      }
      return isSubstring(needle, of: text)
    default:
      throw .invalidOperation(
        "'in' needs a list, string or object on the right, got \(container.typeName)",
        column: column)
    }
  }

  /// Substring search over code points, as Python's `in` does (a decomposed accent does not
  /// stop a match on its base letter).
  private static func isSubstring(_ needle: String, of text: String) -> Bool {
    let pattern = Array(needle.unicodeScalars)
    let scalars = Array(text.unicodeScalars)
    guard pattern.count <= scalars.count else { return false }
    return (0...(scalars.count - pattern.count)).contains { start in
      scalars[start..<(start + pattern.count)].elementsEqual(pattern)
    }
  }
}
