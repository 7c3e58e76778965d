/// A recursive-descent parser with Jinja's precedence, lowest first: `or`, `and`, `not`,
/// comparisons, unary minus, then a primary with its subscripts, filters and tests. Arithmetic
/// sits where Jinja has it (between comparisons and unary) only so it can be reported as such.
struct ExpressionParser {
  private let tokens: [ExpressionToken]
  private let characters: [Character]
  private var position = 0

  static func parse(_ text: String) throws(ExpressionError) -> ExpressionNode {
    var parser = ExpressionParser(
      tokens: try ExpressionLexer.tokens(in: text), characters: Array(text))
    let root = try parser.expression()
    if parser.current.kind == .symbol("=") {
      throw .unexpected("'='", expected: "'==' to compare", column: parser.current.column)
    }
    guard parser.current.kind == .end else {
      throw parser.unexpected(expected: "an operator or the end of the expression")
    }
    return root
  }

  private init(tokens: [ExpressionToken], characters: [Character]) {
    self.tokens = tokens
    self.characters = characters
  }

  // MARK: - Tokens

  private var current: ExpressionToken { tokens[position] }

  private func peek(_ ahead: Int) -> ExpressionToken {
    tokens[min(position + ahead, tokens.count - 1)]
  }

  private mutating func advance() -> ExpressionToken {
    let token = current
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  private func isKeyword(_ word: String, _ token: ExpressionToken? = nil) -> Bool {
    (token ?? current).kind == .name(word)
  }

  private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

  /// Consumes `symbol` if it is next.
  private mutating func skip(_ symbol: String) -> Bool {
    guard isSymbol(symbol) else { return false }
    position += 1
    return true
  }

  private mutating func expect(_ symbol: String, _ expected: String) throws(ExpressionError) {
    guard skip(symbol) else { throw unexpected(expected: expected) }
  }

  private func unexpected(expected: String) -> ExpressionError {
    .unexpected(current.description, expected: expected, column: current.column)
  }

  // MARK: - Operators

  private mutating func expression() throws(ExpressionError) -> ExpressionNode {
    let node = try or()
    if isKeyword("if") {
      throw .unsupported("conditional expression 'if … else'", column: current.column)
    }
    return node
  }

  private mutating func or() throws(ExpressionError) -> ExpressionNode {
    var node = try and()
    while isKeyword("or") {
      _ = advance()
      node = .or(node, try and())
    }
    return node
  }

  private mutating func and() throws(ExpressionError) -> ExpressionNode {
    var node = try not()
    while isKeyword("and") {
      _ = advance()
      node = .and(node, try not())
    }
    return node
  }

  private mutating func not() throws(ExpressionError) -> ExpressionNode {
    guard isKeyword("not") else { return try comparison() }
    _ = advance()
    return .not(try not())
  }

  private mutating func comparison() throws(ExpressionError) -> ExpressionNode {
    let first = try arithmetic()
    var steps: [ComparisonStep] = []
    while true {
      let column = current.column
      let comparison: Comparison
      if case .symbol(let symbol) = current.kind, let found = Comparison(rawValue: symbol) {
        comparison = found
      } else if isKeyword("in") {
        comparison = .in
      } else if isKeyword("not"), isKeyword("in", peek(1)) {
        _ = advance()
        comparison = .notIn
      } else {
        break
      }
      _ = advance()
      steps.append(
        ComparisonStep(comparison: comparison, operand: try arithmetic(), column: column))
    }
    return steps.isEmpty ? first : .compare(first, steps)
  }

  private static let arithmeticOperators: Set<String> = ["+", "-", "*", "/", "//", "%", "**", "~"]

  /// Jinja's arithmetic level: `~` joins text; the other operators are rejected by name.
  private mutating func arithmetic() throws(ExpressionError) -> ExpressionNode {
    var node = try unary(withFilters: true)
    while isSymbol("~") {
      _ = advance()
      node = .concatenate(node, try unary(withFilters: true))
    }
    if case .symbol(let symbol) = current.kind, Self.arithmeticOperators.contains(symbol) {
      throw .unsupported(
        "operator '\(symbol)' (no arithmetic in conditions)", column: current.column)
    }
    return node
  }

  /// As in Jinja, `-x | int` is `(-x) | int`: the operand of a minus takes no filters.
  private mutating func unary(withFilters: Bool) throws(ExpressionError) -> ExpressionNode {
    let start = current.start
    var node: ExpressionNode
    if isSymbol("-") {
      let column = advance().column
      switch try unary(withFilters: false) {
      case .literal(.int(let value)) where value != .min: node = .literal(.int(-value))
      case .literal(.double(let value)): node = .literal(.double(-value))
      case let operand: node = .negate(operand, column: column)
      }
    } else if isSymbol("+") {
      throw .unsupported("operator '+' (no arithmetic in conditions)", column: current.column)
    } else {
      node = try primary()
    }
    node = try postfix(node, start: start)
    return withFilters ? try filtersAndTests(node) : node
  }

  // MARK: - Values

  private mutating func primary() throws(ExpressionError) -> ExpressionNode {
    let token = current
    switch token.kind {
    case .name("true"), .name("True"): _ = advance(); return .literal(.bool(true))
    case .name("false"), .name("False"): _ = advance(); return .literal(.bool(false))
    case .name("none"), .name("None"): _ = advance(); return .literal(.null)
    case .name("and"), .name("or"), .name("not"), .name("in"), .name("is"), .name("if"),
      .name("else"):
      throw unexpected(expected: "a value")
    case .name(let name):
      _ = advance()
      if isSymbol("(") {
        throw .unsupported("function call '\(name)(…)'", column: token.column)
      }
      return .variable(name)
    case .integer(let value): _ = advance(); return .literal(.int(value))
    case .float(let value): _ = advance(); return .literal(.double(value))
    case .string(let value): _ = advance(); return .literal(.string(value))
    case .symbol("("): return try parenthesized()
    case .symbol("["):
      _ = advance()
      return .list(try elements(until: "]"))
    case .symbol("{"): return try mapping()
    default: throw unexpected(expected: "a value")
    }
  }

  /// `(x)` groups; `(x, y)` and `()` are tuples, which behave as lists here.
  private mutating func parenthesized() throws(ExpressionError) -> ExpressionNode {
    _ = advance()
    if skip(")") { return .list([]) }
    let first = try expression()
    if skip(")") { return first }
    try expect(",", "',' or ')'")
    return .list([first] + (try elements(until: ")")))
  }

  /// Comma-separated expressions up to `close` (consumed); a trailing comma is allowed.
  private mutating func elements(until close: String) throws(ExpressionError) -> [ExpressionNode] {
    var elements: [ExpressionNode] = []
    while !skip(close) {
      elements.append(try expression())
      if skip(close) { break }
      try expect(",", "',' or '\(close)'")
    }
    return elements
  }

  /// `{'key': value, …}`; keys are string literals only, which is all defaults ever need.
  private mutating func mapping() throws(ExpressionError) -> ExpressionNode {
    _ = advance()
    var members: [String: ExpressionNode] = [:]
    while !skip("}") {
      guard case .string(let key) = current.kind else {
        if current.kind == .end || isSymbol(",") || isSymbol(":") {
          throw unexpected(expected: "a quoted key or '}'")
        }
        throw .unsupported("object key that is not a quoted string", column: current.column)
      }
      _ = advance()
      try expect(":", "':' after an object key")
      members[key] = try expression()
      if skip("}") { break }
      try expect(",", "',' or '}'")
    }
    return .mapping(members)
  }

  /// Attribute access `.name`/`.0`, subscripts `[key]`; calls and slices are rejected.
  private mutating func postfix(_ base: ExpressionNode, start: Int) throws(ExpressionError)
    -> ExpressionNode
  {
    var node = base
    while true {
      if isSymbol(".") {
        _ = advance()
        let key: JSONValue
        switch current.kind {
        case .name(let name): key = .string(name)
        case .integer(let index): key = .int(index)
        default: throw unexpected(expected: "an attribute name after '.'")
        }
        let token = advance()
        if isSymbol("(") {
          throw .unsupported("method call '.\(key.interpolated)(…)'", column: token.column)
        }
        node = access(node, key: .literal(key), start: start, end: token.end)
      } else if isSymbol("[") {
        let column = advance().column
        if isSymbol(":") { throw .unsupported("slice '[:]'", column: column) }
        let key = try expression()
        if isSymbol(":") { throw .unsupported("slice '[:]'", column: column) }
        let end = current.end
        try expect("]", "']'")
        node = access(node, key: key, start: start, end: end)
      } else if isSymbol("(") {
        throw .unsupported("call '(…)'", column: current.column)
      } else {
        return node
      }
    }
  }

  /// Folds `name.key`/`name[0]` into one dotted name when the lookup can resolve it as such.
  /// Keys that would change meaning in a dotted name stay explicit subscripts: those with a
  /// dot, empty ones, and strings of digits (which the lookup would read as list indexes).
  private func access(_ base: ExpressionNode, key: ExpressionNode, start: Int, end: Int)
    -> ExpressionNode
  {
    if case .variable(let path) = base {
      switch key {
      case .literal(.string(let name)) where Self.isPlainKey(name):
        return .variable(path + "." + name)
      case .literal(.int(let index)) where index >= 0:
        return .variable(path + "." + String(index))
      default: break
      }
    }
    return .item(base, key: key, source: String(characters[start..<end]))
  }

  private static func isPlainKey(_ key: String) -> Bool {
    !key.isEmpty && !key.contains(".") && Int(key) == nil
  }

  // MARK: - Filters and tests

  private mutating func filtersAndTests(_ operand: ExpressionNode) throws(ExpressionError)
    -> ExpressionNode
  {
    var node = operand
    while true {
      if skip("|") {
        let (name, column) = try dottedName(expected: "a filter name after '|'")
        node = .filter(node, try filter(name, column: column), column: column)
      } else if isKeyword("is") {
        _ = advance()
        let negated = isKeyword("not")
        if negated { _ = advance() }
        let (name, column) = try dottedName(expected: "a test name after 'is'")
        guard let test = ExpressionTest(rawValue: name) else {
          throw .unsupported("test '\(name)'", column: column)
        }
        if isSymbol("(") {
          throw .unsupported("arguments to test '\(name)'", column: current.column)
        }
        node = .test(node, test, negated: negated, column: column)
      } else {
        return node
      }
    }
  }

  /// A filter or test name, possibly qualified; `ansible.builtin.` is accepted and dropped.
  private mutating func dottedName(expected: String) throws(ExpressionError) -> (String, Int) {
    let column = current.column
    var parts: [String] = []
    repeat {
      guard case .name(let part) = current.kind else { throw unexpected(expected: expected) }
      parts.append(part)
      _ = advance()
    } while skip(".")
    if parts.count > 2, parts[0] == "ansible", parts[1] == "builtin" {
      parts.removeFirst(2)
    }
    return (parts.joined(separator: "."), column)
  }

  private mutating func filter(_ name: String, column: Int) throws(ExpressionError)
    -> ExpressionFilter
  {
    let simple: [String: ExpressionFilter] = [
      "bool": .bool, "int": .int, "length": .length, "lower": .lower, "upper": .upper,
      "trim": .trim,
    ]
    if let filter = simple[name] {
      if isSymbol("("), peek(1).kind != .symbol(")") {
        throw .unsupported("arguments to filter '\(name)'", column: current.column)
      }
      if skip("(") { _ = skip(")") }
      return filter
    }
    guard name == "default" else { throw .unsupported("filter '\(name)'", column: column) }
    guard skip("(") else { return .default(.literal(.string("")), boolean: nil) }
    let arguments = try elements(until: ")")
    guard arguments.count <= 2 else {
      throw .unsupported("third argument to filter 'default'", column: column)
    }
    return .default(
      arguments.first ?? .literal(.string("")), boolean: arguments.count == 2 ? arguments[1] : nil)
  }
}
