/// One token of an expression, with where it starts and ends (character offsets into the text)
/// so errors can name a column and undefined subscripts can quote their source.
struct ExpressionToken: Sendable, Hashable {
  enum Kind: Sendable, Hashable {
    /// An identifier; keywords (`and`, `not`, `true`, …) are names too, as in Jinja, so that
    /// `result.not` or a test named `none` need no special casing.
    case name(String)
    case integer(Int)
    case float(Double)
    case string(String)
    /// Punctuation and operators, including ones only recognised to be rejected (`+`, `**`).
    case symbol(String)
    case end
  }

  var kind: Kind
  /// Offset of the first character.
  var start: Int
  /// Offset just past the last character.
  var end: Int

  /// The 1-based column errors report.
  var column: Int { start + 1 }

  /// How errors name the token.
  var description: String {
    switch kind {
    case .name(let name): "name '\(name)'"
    case .integer(let value): "integer \(value)"
    case .float(let value): "number \(value)"
    case .string(let value): "string '\(value)'"
    case .symbol(let symbol): "'\(symbol)'"
    case .end: "end of expression"
    }
  }
}

/// Splits expression text into tokens by hand: the grammar is tiny, and a hand-written scanner
/// reports the exact column of a bad character or an unterminated string.
struct ExpressionLexer {
  /// Two-character operators, matched before the one-character ones.
  private static let pairs: Set<String> = ["**", "//", "==", "!=", "<=", ">="]
  private static let singles: Set<Character> = [
    "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "<", ">", "+", "-", "*", "/", "%", "~",
    "=",
  ]
  /// What to suggest for characters users bring from other languages.
  private static let hints: [Character: String] = [
    "!": "'!=' or 'not'", "&": "'and'", "$": "a variable name without '$'",
  ]

  private let characters: [Character]
  private var offset = 0
  private var tokens: [ExpressionToken] = []

  /// The tokens of `text`, ending with an `.end` token.
  static func tokens(in text: String) throws(ExpressionError) -> [ExpressionToken] {
    var lexer = ExpressionLexer(characters: Array(text))
    try lexer.run()
    return lexer.tokens
  }

  private init(characters: [Character]) {
    self.characters = characters
  }

  private mutating func run() throws(ExpressionError) {
    while let character = peek() {
      let start = offset
      if character.isWhitespace {
        offset += 1
      } else if character.isLetter || character == "_" {
        let word = scan { $0.isLetter || $0 == "_" || Self.isDigit($0) }
        append(.name(word), from: start)
      } else if Self.isDigit(character) {
        append(try number(), from: start)
      } else if character == "'" || character == "\"" {
        append(.string(try string()), from: start)
      } else if character == "{", let next = peek(1), next == "{" || next == "%" || next == "#" {
        throw .unsupported(
          "template delimiter '{\(next)' (write the bare expression, without '{{ }}')",
          column: start + 1)
      } else if let two = peek(1).map({ String([character, $0]) }), Self.pairs.contains(two) {
        offset += 2
        append(.symbol(two), from: start)
      } else if Self.singles.contains(character) {
        offset += 1
        append(.symbol(String(character)), from: start)
      } else {
        throw .unexpected(
          "character '\(character)'", expected: Self.hints[character] ?? "an expression",
          column: start + 1)
      }
    }
    append(.end, from: offset)
  }

  private func peek(_ ahead: Int = 0) -> Character? {
    offset + ahead < characters.count ? characters[offset + ahead] : nil
  }

  private mutating func append(_ kind: ExpressionToken.Kind, from start: Int) {
    tokens.append(ExpressionToken(kind: kind, start: start, end: offset))
  }

  private mutating func scan(while matches: (Character) -> Bool) -> String {
    let start = offset
    while let character = peek(), matches(character) { offset += 1 }
    return String(characters[start..<offset])
  }

  private static func isDigit(_ character: Character) -> Bool {
    character.asciiValue.map { (0x30...0x39).contains($0) } ?? false
  }

  /// Digits with `_` separators. After a `.` only an integer is read, so `x.0.1` is two
  /// subscripts rather than `x` followed by the float `.0` (Jinja does the same).
  private mutating func number() throws(ExpressionError) -> ExpressionToken.Kind {
    let start = offset
    let afterDot = tokens.last?.kind == .symbol(".")
    var text = digits()
    var isFloat = false
    if !afterDot, peek() == ".", let next = peek(1), Self.isDigit(next) {
      offset += 1
      text += "." + digits()
      isFloat = true
    }
    if !afterDot, peek() == "e" || peek() == "E" {
      let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
      if let first = peek(1 + sign), Self.isDigit(first) {
        let signText = sign == 1 ? String(characters[offset + 1]) : ""
        offset += 1 + sign
        text += "e" + signText + digits()
        isFloat = true
      }
    }
    if isFloat, let value = Double(text) { return .float(value) }
    if let value = Int(text) { return .integer(value) }
    throw .unsupported(
      "number \(String(characters[start..<offset])) (out of range)", column: start + 1)
  }

  private mutating func digits() -> String {
    scan { Self.isDigit($0) || $0 == "_" }.filter { $0 != "_" }
  }

  /// A quoted string with Python's escapes (`\n`, `\t`, `\\`, `\'`, `\xHH`, `\uHHHH`, …); an
  /// unknown escape keeps its backslash, as Python does.
  private mutating func string() throws(ExpressionError) -> String {
    let start = offset
    let quote = characters[offset]
    offset += 1
    var out = ""
    while let character = peek() {
      offset += 1
      if character == quote { return out }
      guard character == "\\" else {
        out.append(character)
        continue
      }
      guard let escaped = peek() else { break }
      offset += 1
      switch escaped {
      case "n": out.append("\n")
      case "t": out.append("\t")
      case "r": out.append("\r")
      case "0": out.append("\0")
      case "a": out.append("\u{07}")
      case "b": out.append("\u{08}")
      case "f": out.append("\u{0C}")
      case "v": out.append("\u{0B}")
      case "\\", "'", "\"": out.append(escaped)
      case "\n": break
      case "x": out.unicodeScalars.append(try hexScalar(digits: 2, escapeStart: offset - 2))
      case "u": out.unicodeScalars.append(try hexScalar(digits: 4, escapeStart: offset - 2))
      case "U": out.unicodeScalars.append(try hexScalar(digits: 8, escapeStart: offset - 2))
      default: out += "\\" + String(escaped)
      }
    }
    throw .unterminatedString(column: start + 1)
  }

  private mutating func hexScalar(digits count: Int, escapeStart: Int) throws(ExpressionError)
    -> Unicode.Scalar
  {
    let end = min(offset + count, characters.count)
    let hex = String(characters[offset..<end])
    guard hex.count == count, hex.allSatisfy(\.isHexDigit),
      let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value)
    else {
      let escape = String(characters[escapeStart..<end])
      throw .unexpected(
        "escape '\(escape)'", expected: "\(count) hexadecimal digits naming a character",
        column: escapeStart + 1)
    }
    offset = end
    return scalar
  }
}
