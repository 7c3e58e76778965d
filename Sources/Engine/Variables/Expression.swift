/// A condition expression as JSON playbooks write it in `when`, `changed_when`, `failed_when`
/// and `until`: the small subset of Jinja2 that Ansible users put there, parsed once and then
/// evaluated against a host's variables as often as needed.
///
/// Why a subset and not Jinja: conditions must be safe (no code, no global state) and their
/// mistakes must show up when the playbook is loaded, with a column, not halfway through a run.
/// Supported:
/// - literals: `true`/`True`, `false`/`False`, `none`/`None`, integers, floats, quoted strings
///   with escapes, lists `[1, 2]`, tuples `(1, 2)` (read as lists), objects `{'key': value}`;
/// - names and access: `result.rc`, `x.0`, `a['key']`, `a[0]`, `a[-1]`, `a[item]`, `( … )`;
/// - `not`, `and`, `or` (short-circuit, returning an operand as Python does);
/// - comparisons `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`, chained as in Python;
/// - tests `is [not] defined|undefined|none|changed|failed|success|succeeded|skipped|true|false|
///   string|number|sequence|mapping`;
/// - filters `bool`, `int`, `length`, `default(value[, boolean])`, `lower`, `upper`, `trim`
///   (also spelled `ansible.builtin.NAME`), and unary minus on numbers.
///
/// Everything else (function and method calls, other filters or tests, arithmetic, slices,
/// `if … else`) is rejected by `init` with an `ExpressionError` that names the construct.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
  /// The text as written; output shows it as the condition that was false.
  public let text: String
  let root: ExpressionNode

  /// Parses `text`; a syntax error or unsupported construct is reported with its column.
  public init(_ text: String) throws(ExpressionError) {
    self.text = text
    self.root = try ExpressionParser.parse(text)
  }

  /// The top-level variable names the expression reads (`result` for `result.rc`), so callers
  /// can check them against what will be defined before anything runs.
  public var referencedNames: Set<String> { root.referencedNames }

  /// Evaluates the expression. `lookup` resolves a dotted name (`result.rc`, `item.name`,
  /// `x.0`) or throws when it is undefined; that error propagates unchanged except under
  /// `is defined`/`is undefined` and `default(…)`, which exist to ask about it.
  public func evaluate(_ lookup: (String) throws -> JSONValue) throws -> JSONValue {
    try root.evaluate(lookup)
  }

  /// Evaluates the expression and applies Ansible's truthiness to the result.
  public func isTrue(_ lookup: (String) throws -> JSONValue) throws -> Bool {
    try evaluate(lookup).isTruthy
  }

  /// A step condition evaluating this expression against the step's scope; its text is the
  /// expression's, as output shows a false condition.
  public func condition() -> Condition {
    let expression = self
    return Condition(text) { scope in try expression.isTrue(scope.lookup) }
  }

  public var description: String { text }

  /// Two expressions are the same when their text is: the tree is derived from it.
  public static func == (lhs: Expression, rhs: Expression) -> Bool { lhs.text == rhs.text }

  public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
