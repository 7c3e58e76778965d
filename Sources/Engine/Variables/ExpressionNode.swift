/// The parsed form of an `Expression`. Operations that can fail at run time carry the column
/// of their operator so evaluation errors point into the text like syntax errors do.
indirect enum ExpressionNode: Sendable, Hashable {
  case literal(JSONValue)
  case list([ExpressionNode])
  case mapping([String: ExpressionNode])
  /// A dotted name handed to the lookup as a whole (`result.rc`, `x.0`): static accesses on a
  /// name are folded into it, so the caller resolves them and names them in its errors.
  case variable(String)
  /// `base[key]` the lookup cannot do: a computed key, a negative index, a key containing a
  /// dot, or any base that is not a name. `source` quotes it when it is undefined.
  case item(ExpressionNode, key: ExpressionNode, source: String)
  case negate(ExpressionNode, column: Int)
  case not(ExpressionNode)
  case and(ExpressionNode, ExpressionNode)
  case or(ExpressionNode, ExpressionNode)
  /// `a < b <= c` is `a < b and b <= c`, each operand evaluated at most once (as in Python).
  case compare(ExpressionNode, [ComparisonStep])
  case test(ExpressionNode, ExpressionTest, negated: Bool, column: Int)
  case filter(ExpressionNode, ExpressionFilter, column: Int)
  /// Jinja's `~`: both operands as text, joined.
  case concatenate(ExpressionNode, ExpressionNode)

  /// Top-level names read anywhere in the tree.
  var referencedNames: Set<String> {
    switch self {
    case .literal: []
    case .list(let elements): Self.names(in: elements)
    case .mapping(let members): Self.names(in: Array(members.values))
    case .variable(let path): [String(path.prefix { $0 != "." })]
    case .item(let base, let key, _): Self.names(in: [base, key])
    case .negate(let operand, _), .not(let operand), .test(let operand, _, _, _):
      operand.referencedNames
    case .and(let lhs, let rhs), .or(let lhs, let rhs), .concatenate(let lhs, let rhs):
      Self.names(in: [lhs, rhs])
    case .compare(let first, let steps): Self.names(in: [first] + steps.map(\.operand))
    case .filter(let operand, .default(let fallback, let boolean), _):
      Self.names(in: [operand, fallback] + (boolean.map { [$0] } ?? []))
    case .filter(let operand, _, _): operand.referencedNames
    }
  }

  private static func names(in nodes: [ExpressionNode]) -> Set<String> {
    nodes.reduce(into: []) { $0.formUnion($1.referencedNames) }
  }
}

/// One `op operand` link of a comparison chain.
struct ComparisonStep: Sendable, Hashable {
  var comparison: Comparison
  var operand: ExpressionNode
  var column: Int
}

enum Comparison: String, Sendable, Hashable {
  case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<="
  case greater = ">", greaterOrEqual = ">=", `in` = "in", notIn = "not in"
}

/// The supported `is` tests, named as Jinja and Ansible name them.
enum ExpressionTest: String, Sendable, Hashable {
  case defined, undefined, none, changed, failed, success, succeeded, successful, skipped
  case `true`, `false`, string, number, sequence, mapping
}

/// The supported filters. `default`'s arguments stay unevaluated until needed, so a fallback
/// that is itself undefined only matters when it is used (as with Jinja's lazy undefined).
enum ExpressionFilter: Sendable, Hashable {
  case bool, int, length, lower, upper, trim
  case `default`(ExpressionNode, boolean: ExpressionNode?)
}
