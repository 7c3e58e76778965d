/// Why an expression could not be parsed or evaluated. Every case carries the 1-based column
/// (counted in characters from the start of the text) of the token at fault, so a playbook
/// author can find it in a long condition.
public enum ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// `found` (a token, e.g. `')'`, `name 'x'`, `end of expression`) where `expected` was wanted.
  case unexpected(String, expected: String, column: Int)
  /// A string literal whose closing quote is missing; the column is the opening quote's.
  case unterminatedString(column: Int)
  /// A Jinja construct this language does not support, e.g. `filter 'regex_search'`.
  case unsupported(String, column: Int)
  /// An operation got a value it cannot handle, e.g. ordering a string against a number.
  case invalidOperation(String, column: Int)

  /// Where the problem is, as a 1-based character column.
  public var column: Int {
    switch self {
    case .unexpected(_, _, let column), .unterminatedString(let column),
      .unsupported(_, let column), .invalidOperation(_, let column):
      column
    }
  }

  public var description: String {
    switch self {
    case .unexpected(let found, let expected, let column):
      "unexpected \(found) at column \(column); expected \(expected)"
    case .unterminatedString(let column):
      "unterminated string starting at column \(column)"
    case .unsupported(let construct, let column):
      "unsupported \(construct) at column \(column); conditions allow literals, names, "
        + "not/and/or, comparisons, in, 'is' tests and the filters bool, int, length, default, "
        + "lower, upper and trim"
    case .invalidOperation(let message, let column):
      "\(message) at column \(column)"
    }
  }
}
