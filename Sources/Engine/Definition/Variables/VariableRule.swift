/// A rule a variable's value obeys, with the message that says how a value breaks it.
/// Declared with the variable (`RoleVariable`), so the check is reported against the
/// variable where the operator set it, before any change.
public struct VariableRule<Value> {
  private let check: (Value) -> [String]

  /// A rule from a function giving every problem with a value (none when it obeys).
  public init(problems check: @escaping (Value) -> [String]) { self.check = check }

  /// A rule from a function giving the one problem with a value, or nil.
  public init(_ check: @escaping (Value) -> String?) {
    self.check = { check($0).map { [$0] } ?? [] }
  }

  static func apply(
    _ rules: [Self], to value: Value, key: AnyCodingKey, reader: ArgumentReader<AnyCodingKey>
  ) {
    for rule in rules {
      for problem in rule.check(value) { reader.record(key, problem) }
    }
  }
}

extension VariableRule where Value == Int {
  /// At least 1.
  public static var positive: Self {
    Self { $0 >= 1 ? nil : "expected a positive integer, found \($0)" }
  }

  /// At least 0.
  public static var natural: Self {
    Self { $0 >= 0 ? nil : "expected an integer ≥ 0, found \($0)" }
  }

  public static func within(_ range: ClosedRange<Int>) -> Self {
    Self {
      range.contains($0)
        ? nil : "expected an integer in \(range.lowerBound)...\(range.upperBound), found \($0)"
    }
  }

  /// A TCP port.
  public static var port: Self {
    Self { (1...65535).contains($0) ? nil : "expected a port in 1...65535, found \($0)" }
  }
}

extension VariableRule where Value == String {
  /// A name of letters, digits, `-`, `_` and `.`: what a unit, a container, a network or a
  /// backend may be called, and nothing a config line could be broken with.
  public static var name: Self {
    Self { value in
      !value.isEmpty && value.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        ? nil
        : "expected a name of letters, digits, '-', '_' or '.', found \(JSONValue.quote(value))"
    }
  }
}
