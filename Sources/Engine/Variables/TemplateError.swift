import Foundation

/// A problem with a `{{ name }}` reference.
public indirect enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
  case undefined(String, suggestion: String?)
  case cycle([String])
  case invalidExpression(String)
  case unterminated(line: Int, column: Int)
  /// The problem is in the value of another variable, reached through a reference: the
  /// operator has to fix that variable, wherever it is set. `secret`: the value is (part of)
  /// a secret, so the description does not quote its text.
  case inValue(of: String, TemplateError, secret: Bool)

  /// The variable whose own value holds the problem, when it is not the value being resolved.
  public var holder: String? {
    if case .inValue(let name, _, _) = self { return name }
    return nil
  }

  /// This problem as found while resolving the value of `name` (the innermost variable wins;
  /// a cycle already names every variable in it).
  func located(in name: String, hidingText secret: Bool) -> TemplateError {
    switch self {
    case .inValue, .cycle: self
    default: .inValue(of: name, self, secret: secret)
    }
  }

  /// The description without any text taken from the value, for a secret variable: its value
  /// (or a part of it, between `{{ }}`) must not reach the output through an error message.
  /// Variable names in a cycle, and line and column, are not secret.
  public var redactedDescription: String {
    let literalNote =
      "; the text is not shown because the variable is secret (a '{{' in a value always "
      + "starts a reference)"
    switch self {
    case .undefined:
      return "a '{{ }}' reference in the value names an undefined variable" + literalNote
    case .invalidExpression:
      return "a '{{ }}' in the value is not a '{{ name }}' reference" + literalNote
    case .cycle, .unterminated:
      return description
    case .inValue(let name, let inner, _):
      return "in the value of '\(name)': \(inner.redactedDescription)"
    }
  }

  public var description: String {
    switch self {
    case .inValue(let name, let inner, let secret):
      "in the value of '\(name)': \(secret ? inner.redactedDescription : inner.description)"
    case .undefined(let name, let suggestion):
      "undefined variable '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    case .cycle(let names):
      "variable reference cycle: " + names.joined(separator: " -> ")
    case .invalidExpression(let text):
      "unsupported expression '{{ \(text) }}': between '{{ }}' runner evaluates names "
        + "('name.field', 'env.NAME'), literals, not/and/or, comparisons, in, 'is' tests, '~' "
        + "and the filters bool, int, length, default, lower, upper and trim"
    case .unterminated(let line, let column):
      "unterminated '{{' at line \(line), column \(column)"
    }
  }
}
