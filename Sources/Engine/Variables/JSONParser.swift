import Foundation

/// A JSON syntax problem, with where it is: the line and column (counted in characters, from
/// 1) and the JSON path of the value being read, so an operator can go straight to it.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var path: JSONPath

  public init(_ message: String, line: Int, column: Int, path: JSONPath) {
    self.message = message
    self.line = line
    self.column = column
    self.path = path
  }

  public var description: String { "line \(line), column \(column): \(message)" }
}

/// Reads JSON text strictly (RFC 8259) into a `JSONValue`. It exists for what Foundation's
/// decoder does not do on Linux: it says where a syntax error is (Foundation only says "not
/// valid JSON"), it refuses a key given twice in one object (Foundation silently keeps the
/// last, so a duplicated inventory host or variable would be lost without a word), and it
/// stops at a nesting limit instead of exhausting the stack on `[[[[…`.
///
/// Numbers keep the typing `JSONValue` always had: an integral value that fits an `Int`
/// (`2`, `2.0`, `1e2`) is an integer, anything else a `Double`.
struct JSONParser {
  /// Deeper documents are refused; no playbook, inventory or variable file needs more.
  static let maximumDepth = 512

  private let bytes: [UInt8]
  private var position = 0

  private init(_ data: Data) { bytes = Array(data) }

  static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser(data)
    if let encoding = parser.otherEncoding {
      throw JSONSyntaxError(
        "the document is \(encoding), not UTF-8; save it as UTF-8 (e.g. iconv -f \(encoding) "
          + "-t UTF-8)", line: 1, column: 1, path: .root)
    }
    parser.skipByteOrderMark()
    parser.skipWhitespace()
    guard parser.position < parser.bytes.count else {
      throw parser.error("the document is empty; expected a JSON value", path: .root)
    }
    let value = try parser.value(path: .root, depth: 0)
    parser.skipWhitespace()
    if parser.position < parser.bytes.count {
      throw parser.error(
        "unexpected \(parser.describeNext()) after the end of the JSON value", path: .root)
    }
    return value
  }

  // MARK: Values

  private mutating func value(path: JSONPath, depth: Int) throws(JSONSyntaxError) -> JSONValue {
    guard let byte = peek() else {
      throw error("unexpected end of the document; expected a value", path: path)
    }
    switch byte {
    case UInt8(ascii: "{"): return try object(path: path, depth: depth + 1)
    case UInt8(ascii: "["): return try array(path: path, depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try string(path: path))
    case UInt8(ascii: "t"): return try literal("true", .bool(true), path: path)
    case UInt8(ascii: "f"): return try literal("false", .bool(false), path: path)
    case UInt8(ascii: "n"): return try literal("null", .null, path: path)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(path: path)
    default:
      throw error("expected a value, found \(describeWord())", path: path)
    }
  }

  private mutating func object(path: JSONPath, depth: Int) throws(JSONSyntaxError) -> JSONValue {
    try checkDepth(depth, path: path)
    position += 1  // {
    var members: [String: JSONValue] = [:]
    var firstSeen: [String: Int] = [:]
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else {
        throw error(
          "expected a key (a string in double quotes), found \(describeNext())", path: path)
      }
      let keyStart = position
      let key = try string(path: path)
      let memberPath = path.appending(key)
      if let first = firstSeen[key] {
        let (line, column) = lineAndColumn(of: first)
        throw error(
          "duplicate key '\(key)' (first at line \(line), column \(column)); JSON keeps only "
            + "one of them, so the other would be silently lost",
          path: memberPath, at: keyStart)
      }
      firstSeen[key] = keyStart
      skipWhitespace()
      guard peek() == UInt8(ascii: ":") else {
        throw error(
          "expected ':' after the key '\(key)', found \(describeNext())", path: memberPath)
      }
      position += 1
      skipWhitespace()
      members[key] = try value(path: memberPath, depth: depth)
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"):
        position += 1
        return .object(members)
      default:
        throw error(
          "expected ',' or '}' after the value of '\(key)', found \(describeNext())", path: path)
      }
    }
  }

  private mutating func array(path: JSONPath, depth: Int) throws(JSONSyntaxError) -> JSONValue {
    try checkDepth(depth, path: path)
    position += 1  // [
    var elements: [JSONValue] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      position += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try value(path: path.appending(elements.count), depth: depth))
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"):
        position += 1
        return .array(elements)
      default:
        throw error(
          "expected ',' or ']' after element \(elements.count - 1), found \(describeNext())",
          path: path)
      }
    }
  }

  private mutating func literal(
    _ word: String, _ value: JSONValue, path: JSONPath
  ) throws(JSONSyntaxError) -> JSONValue {
    let expected = Array(word.utf8)
    guard bytes.count - position >= expected.count,
      Array(bytes[position..<position + expected.count]) == expected
    else {
      throw error("expected a value, found \(describeWord())", path: path)
    }
    position += expected.count
    return value
  }

  private mutating func number(path: JSONPath) throws(JSONSyntaxError) -> JSONValue {
    let start = position
    var integral = true
    if peek() == UInt8(ascii: "-") { position += 1 }
    guard let first = peek(), isDigit(first) else {
      throw error("expected a digit in a number, found \(describeNext())", path: path)
    }
    position += 1
    if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
      throw error("a number cannot start with 0 (found a leading zero)", path: path)
    }
    skipDigits()
    if peek() == UInt8(ascii: ".") {
      integral = false
      position += 1
      guard let digit = peek(), isDigit(digit) else {
        throw error("expected a digit after '.', found \(describeNext())", path: path)
      }
      skipDigits()
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      integral = false
      position += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
      guard let digit = peek(), isDigit(digit) else {
        throw error("expected a digit in the exponent, found \(describeNext())", path: path)
      }
      skipDigits()
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    if integral, let number = Int(text) { return .int(number) }
    if integral {
      // As a Double it would be read as a nearby number, not this one.
      throw error(
        "the integer \(text) is out of range (-\(UInt64(Int.max) + 1)...\(Int.max))", path: path,
        at: start)
    }
    guard let number = Double(text), number.isFinite else {
      throw error("the number \(text) is out of range", path: path, at: start)
    }
    if let exact = Int(exactly: number) { return .int(exact) }
    return .double(number)
  }

  /// A string literal; `position` is at its opening quote.
  private mutating func string(path: JSONPath) throws(JSONSyntaxError) -> String {
    let start = position
    position += 1
    var utf8: [UInt8] = []
    while true {
      guard let byte = peek() else {
        throw error("unterminated string (no closing '\"')", path: path, at: start)
      }
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        guard let text = String(validating: utf8, as: UTF8.self) else {
          throw error("the string is not valid UTF-8", path: path, at: start)
        }
        return text
      case UInt8(ascii: "\\"):
        position += 1
        try escape(into: &utf8, path: path)
      case 0..<0x20:
        throw error(
          "a string cannot contain a raw control character (\(describeNext())); "
            + "write it as an escape such as \\n or \\t",
          path: path)
      default:
        utf8.append(byte)
        position += 1
      }
    }
  }

  /// One escape after its backslash, appended as UTF-8.
  private mutating func escape(into utf8: inout [UInt8], path: JSONPath) throws(JSONSyntaxError) {
    guard let byte = peek() else {
      throw error("unexpected end of the document in an escape", path: path)
    }
    position += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
    case UInt8(ascii: "b"): utf8.append(0x08)
    case UInt8(ascii: "f"): utf8.append(0x0C)
    case UInt8(ascii: "n"): utf8.append(0x0A)
    case UInt8(ascii: "r"): utf8.append(0x0D)
    case UInt8(ascii: "t"): utf8.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try hexQuad(path: path)
      if (0xD800...0xDBFF).contains(scalar) {
        guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
          throw error("a \\u escape holds half of a surrogate pair without the other", path: path)
        }
        position += 2
        let low = try hexQuad(path: path)
        guard (0xDC00...0xDFFF).contains(low) else {
          throw error("a \\u escape holds half of a surrogate pair without the other", path: path)
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        throw error("a \\u escape holds half of a surrogate pair without the other", path: path)
      }
      guard let unicode = Unicode.Scalar(scalar) else {
        throw error("invalid \\u escape", path: path)
      }
      if scalar == 0 {
        // No path, argument or file name can carry it: a C string ends there (the local
        // connection would act on a shorter path) and a shell refuses it.
        throw error("a string cannot contain a NUL character (\\u0000)", path: path)
      }
      utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
    default:
      position -= 2  // at the backslash
      let shown = (0x21...0x7E).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "?"
      throw error("invalid escape '\\\(shown)' in a string", path: path)
    }
  }

  private mutating func hexQuad(path: JSONPath) throws(JSONSyntaxError) -> UInt32 {
    guard bytes.count - position >= 4,
      let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
    else {
      throw error("expected 4 hexadecimal digits after \\u", path: path)
    }
    position += 4
    return value
  }

  // MARK: Scanning

  private func peek(offset: Int = 0) -> UInt8? {
    position + offset < bytes.count ? bytes[position + offset] : nil
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  private mutating func skipDigits() {
    while let byte = peek(), isDigit(byte) { position += 1 }
  }

  private mutating func skipWhitespace() {
    while let byte = peek(),
      byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    {
      position += 1
    }
  }

  /// UTF-16 or UTF-32 by their byte order mark, or by the zero bytes their ASCII leaves: JSON
  /// starts with an ASCII character, so a zero among the first two bytes gives them away.
  private var otherEncoding: String? {
    if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return "UTF-32BE" }
    if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32LE" }
    if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
    if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
    guard bytes.count >= 2 else { return nil }
    if bytes[0] == 0 && bytes[1] != 0 { return "UTF-16BE" }
    if bytes[0] != 0 && bytes[1] == 0 { return "UTF-16LE" }
    return nil
  }

  private mutating func skipByteOrderMark() {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
  }

  private func checkDepth(_ depth: Int, path: JSONPath) throws(JSONSyntaxError) {
    if depth > Self.maximumDepth {
      // The path down to the first list index: where the deep structure starts, not the
      // hundreds of `[0]` that follow it.
      var start = path.components
      while case .index? = start.last { start.removeLast() }
      throw error("nested deeper than \(Self.maximumDepth) levels", path: JSONPath(start))
    }
  }

  // MARK: Errors

  private func error(_ message: String, path: JSONPath, at offset: Int? = nil) -> JSONSyntaxError {
    let (line, column) = lineAndColumn(of: offset ?? position)
    return JSONSyntaxError(message, line: line, column: column, path: path)
  }

  /// Line and column (in characters) of a byte offset, both from 1.
  private func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
      line += 1
      lineStart = index + 1
    }
    // Count characters, not bytes: UTF-8 continuation bytes (10xxxxxx) do not start one.
    let column =
      bytes[lineStart..<min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
    return (line, column)
  }

  /// What is at the current position, for "found …".
  private func describeNext() -> String {
    guard let byte = peek() else { return "the end of the document" }
    return describeByte(byte)
  }

  private func describeByte(_ byte: UInt8) -> String {
    switch byte {
    case 0x0A: return "a line break"
    case 0x09: return "a tab"
    case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
    default: return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
  }

  /// Words other languages and formats write where JSON wants `true`, `false`, `null` or a
  /// number: quoting them back tells the user what to write instead.
  private static let knownWords: Set<String> = [
    "True", "TRUE", "False", "FALSE", "None", "Null", "NULL", "nil", "undefined", "NaN",
    "Infinity", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "off", "Off",
  ]

  /// The word at the current position, for "found …": a known word (`True`, `None`) is
  /// quoted; any other is not, because an unquoted word in a file of extra vars is as likely
  /// as not a secret typed without its quotes.
  private func describeWord() -> String {
    var end = position
    while end < bytes.count,
      (bytes[end] >= UInt8(ascii: "a") && bytes[end] <= UInt8(ascii: "z"))
        || (bytes[end] >= UInt8(ascii: "A") && bytes[end] <= UInt8(ascii: "Z"))
    {
      end += 1
    }
    guard end > position else { return describeNext() }
    let word = String(decoding: bytes[position..<end], as: UTF8.self)
    return Self.knownWords.contains(word) ? "'\(word)'" : "an unquoted word"
  }
}
