/// The YAML an Ansible vars file is written in, as a documented strict subset: block mappings
/// and sequences, plain, single- and double-quoted scalars on one line, block scalars (`|`,
/// `>`, with `-`/`+` chomping) for a PEM key or a script, one-line flow collections
/// (`[a, b]`, `{a: 1}`), comments, and `---`/`...` around one document. Plain scalars are
/// typed as PyYAML (what Ansible uses) types them: `yes`/`no`/`on`/`off`/`true`/`false` in
/// their three spellings are booleans, `~`/`null`/empty are null, `017` octal (`0o17` a string), `1.5`
/// a number (but `1e3` a string). `!vault |` values are handed to the vault reader.
///
/// Refused, with the line and column, rather than half-understood: anchors (`&a`), aliases
/// (`*a`), other tags (`!!str`, `!custom`), merge keys (`<<`), duplicate keys, tabs in
/// indentation, multi-line plain or quoted scalars, several documents, directives.
public enum YAMLSubset {
  /// Reads a `!vault |` value: its text, and where it is.
  public typealias VaultReader = @Sendable (String, SourceLocation) throws -> JSONValue

  public static func parse(
    _ text: String, file: String,
    vault: @escaping VaultReader = { _, location in throw VarsFile.needsPassword(location) }
  ) throws -> JSONValue {
    var parser = Parser(text: text, file: file, vault: vault)
    return try parser.document()
  }

  struct Line {
    var number: Int
    var indent: Int
    /// The line without its indentation and comment, trailing spaces removed.
    var content: String
    /// The line as written, for block scalars.
    var raw: String
  }

  struct Parser {
    let file: String
    let vault: VaultReader
    var lines: [Line] = []
    var index = 0

    init(text: String, file: String, vault: @escaping VaultReader) {
      self.file = file
      self.vault = vault
      for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      {
        let raw = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
        let indent = raw.prefix { $0 == " " }.count
        let rest = String(raw.dropFirst(indent))
        lines.append(
          Line(number: offset + 1, indent: indent, content: Self.uncommented(rest), raw: raw))
      }
    }

    /// `text` without a comment: `#` at its start or after a space, outside quotes.
    static func uncommented(_ text: String) -> String {
      var quote: Character?
      var previous: Character = " "
      var end = text.endIndex
      var skipNext = false
      for position in text.indices {
        let character = text[position]
        if skipNext {
          skipNext = false
          continue
        }
        if let open = quote {
          let next = text.index(after: position)
          let following = next < text.endIndex ? text[next] : nil
          if open == "'" && character == "'" && following == "'" {
            skipNext = true  // '' inside single quotes
          } else if open == "\"" && character == "\\" {
            skipNext = true  // an escape inside double quotes
          } else if character == open {
            quote = nil
          }
        } else if character == "'" || character == "\"" {
          if previous == " " || previous == "[" || previous == "{" || previous == ","
            || previous == ":" || position == text.startIndex
          {
            quote = character
          }
        } else if character == "#", previous == " " || previous == "\t" {
          end = position
          break
        }
        previous = character
      }
      var result = String(text[..<end])
      while result.last == " " || result.last == "\t" { result.removeLast() }
      return result
    }

    func error(_ line: Line, column: Int? = nil, _ message: String) -> DefinitionErrors {
      DefinitionErrors([
        Diagnostic(
          at: SourceLocation(file: file, line: line.number, column: column ?? line.indent + 1),
          message)
      ])
    }

    func location(_ line: Line) -> SourceLocation {
      SourceLocation(file: file, line: line.number, column: line.indent + 1)
    }

    mutating func skipBlank() {
      while index < lines.count, lines[index].content.isEmpty { index += 1 }
    }

    mutating func document() throws -> JSONValue {
      for line in lines where !line.content.isEmpty {
        let leading = line.raw.prefix { $0 == " " || $0 == "\t" }
        if leading.contains("\t") {
          throw error(line, column: 1, "a tab in indentation: YAML indents with spaces")
        }
      }
      skipBlank()
      if index < lines.count, lines[index].content.hasPrefix("%") {
        throw error(lines[index], "YAML directives are not supported")
      }
      if index < lines.count, lines[index].indent == 0, lines[index].content == "---" {
        index += 1
      } else if index < lines.count, lines[index].content.hasPrefix("--- ") {
        throw error(lines[index], "content after '---' on the same line is not supported")
      }
      skipBlank()
      guard index < lines.count, lines[index].content != "..." else { return .null }
      if lines[index].raw.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
        throw error(lines[index], "a tab in indentation: YAML indents with spaces")
      }
      let value = try node(parentIndent: -1)
      skipBlank()
      if index < lines.count {
        let line = lines[index]
        if line.content == "..." || line.content == "---" {
          index += 1
          skipBlank()
          if index < lines.count {
            throw error(lines[index], "one YAML document per file is supported")
          }
        } else {
          throw error(line, "unexpected content: check the indentation")
        }
      }
      return value
    }

    /// The block node starting at the current line, indented more than `parentIndent`.
    mutating func node(parentIndent: Int) throws -> JSONValue {
      skipBlank()
      guard index < lines.count, lines[index].indent > parentIndent else { return .null }
      let line = lines[index]
      if line.raw.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
        throw error(line, "a tab in indentation: YAML indents with spaces")
      }
      if line.content == "-" || line.content.hasPrefix("- ") {
        return try sequence(indent: line.indent)
      }
      if try Self.keySplit(line.content) != nil {
        return try mapping(indent: line.indent)
      }
      index += 1
      let value = try inline(line.content, line: line, column: line.indent + 1)
      skipBlank()
      if index < lines.count, lines[index].indent > parentIndent,
        lines[index].indent >= line.indent
      {
        throw error(
          lines[index], "a plain scalar continued on another line: quote it on one line, or use |")
      }
      return value
    }

    mutating func sequence(indent: Int) throws -> JSONValue {
      var items: [JSONValue] = []
      while true {
        skipBlank()
        guard index < lines.count, lines[index].indent == indent else { break }
        let line = lines[index]
        guard line.content == "-" || line.content.hasPrefix("- ") else { break }
        let rest = line.content.dropFirst(1).drop { $0 == " " }
        let offset = line.content.count - rest.count
        if rest.isEmpty {
          index += 1
          items.append(try node(parentIndent: indent))
        } else if try Self.keySplit(String(rest)) != nil
          || rest.hasPrefix("- ") || rest == "-"
        {
          // `- key: value`: a mapping (or sequence) whose first line starts after the dash
          lines[index].indent = indent + offset
          lines[index].content = String(rest)
          items.append(try node(parentIndent: indent))
        } else {
          items.append(try value(String(rest), line: line, column: line.indent + offset + 1))
        }
      }
      return .array(items)
    }

    mutating func mapping(indent: Int) throws -> JSONValue {
      var members: [String: JSONValue] = [:]
      while true {
        skipBlank()
        guard index < lines.count, lines[index].indent == indent else { break }
        let line = lines[index]
        guard let (rawKey, rest) = try Self.keySplit(line.content) else {
          if line.content.hasPrefix("- ") || line.content == "-" { break }
          if line.indent == 0, line.content == "---" || line.content == "..." { break }
          throw error(line, "expected 'key: value' in this mapping")
        }
        let key = try self.key(rawKey, line: line)
        if members[key] != nil {
          throw error(line, "duplicate key '\(key)' in this mapping")
        }
        let column = line.indent + line.content.count - rest.count + 1
        if rest.isEmpty {
          index += 1
          skipBlank()
          // a sequence may sit at the key's own indentation
          if index < lines.count, lines[index].indent == indent,
            lines[index].content == "-" || lines[index].content.hasPrefix("- ")
          {
            members[key] = try sequence(indent: indent)
          } else {
            members[key] = try node(parentIndent: indent)
          }
        } else {
          members[key] = try value(rest, line: line, column: column, parentIndent: indent)
        }
      }
      return .object(members)
    }

    /// A mapping key as text; anchors, aliases, tags and merge keys are refused.
    func key(_ raw: String, line: Line) throws -> String {
      if raw == "<<" { throw error(line, "merge keys (<<) are not supported: write the keys out") }
      if let first = raw.first, "&*!?".contains(first) {
        throw error(line, "anchors, aliases, tags and complex keys are not supported here")
      }
      if raw.first == "'" || raw.first == "\"" {
        guard case .string(let text) = try inline(raw, line: line, column: line.indent + 1)
        else { throw error(line, "a quoted key must be a string") }
        return text
      }
      return raw
    }

    /// The value after `key:` or `- `, which may open a block scalar on the next lines.
    mutating func value(
      _ text: String, line: Line, column: Int, parentIndent: Int? = nil
    ) throws -> JSONValue {
      let parent = parentIndent ?? line.indent
      if text.hasPrefix("!vault") {
        let rest = text.dropFirst("!vault".count).drop { $0 == " " }
        guard rest.hasPrefix("|") || rest.hasPrefix(">") else {
          throw error(line, column: column, "a !vault value is a block scalar: '!vault |'")
        }
        index += 1
        let body = try block(String(rest), line: line, column: column, parentIndent: parent)
        return try vault(body, SourceLocation(file: file, line: line.number, column: column))
      }
      if text.hasPrefix("|") || text.hasPrefix(">") {
        index += 1
        return .string(try block(text, line: line, column: column, parentIndent: parent))
      }
      index += 1
      let value = try inline(text, line: line, column: column)
      skipBlank()
      if index < lines.count, lines[index].indent > parent, text.first != "[", text.first != "{" {
        throw error(
          lines[index], "a plain scalar continued on another line: quote it on one line, or use |")
      }
      return value
    }

    /// A block scalar's text: `header` is `|` or `>` with optional chomping and indentation.
    mutating func block(
      _ header: String, line: Line, column: Int, parentIndent: Int
    ) throws -> String {
      let literal = header.first == "|"
      var chomping: Character = " "
      var explicit: Int?
      for character in header.dropFirst() {
        if character == "-" || character == "+" {
          chomping = character
        } else if let digit = character.wholeNumberValue, digit > 0 {
          explicit = digit
        } else {
          throw error(line, column: column, "invalid block scalar header '\(header)'")
        }
      }
      var collected: [String] = []
      var blockIndent = explicit.map { parentIndent + $0 }
      while index < lines.count {
        let raw = lines[index].raw
        let spaces = raw.prefix { $0 == " " }.count
        let blank = raw.allSatisfy { $0 == " " }
        if blank {
          collected.append("")
          index += 1
          continue
        }
        if blockIndent == nil { blockIndent = spaces }
        guard let indent = blockIndent, spaces >= indent, indent > max(parentIndent, -1) else {
          break
        }
        collected.append(String(raw.dropFirst(indent)))
        index += 1
      }
      var trailing = 0
      while collected.last == "" {
        collected.removeLast()
        trailing += 1
      }
      var text: String
      if literal {
        text = collected.joined(separator: "\n")
      } else {
        // folding: a break between two plain lines is a space, each empty line a newline,
        // more-indented lines keep their breaks
        text = ""
        var previous: (empty: Bool, plain: Bool)?
        for part in collected {
          let plain = !part.isEmpty && !part.hasPrefix(" ")
          if part.isEmpty {
            text += "\n"
          } else {
            if let previous, !previous.empty {
              text += previous.plain && plain ? " " : "\n"
            }
            text += part
          }
          previous = (part.isEmpty, plain)
        }
      }
      if collected.isEmpty {
        return chomping == "+" ? String(repeating: "\n", count: trailing) : ""
      }
      switch chomping {
      case "-": break
      case "+": text += String(repeating: "\n", count: trailing + 1)
      default: text += "\n"
      }
      return text
    }

    /// A value written on one line: quoted, flow, or plain.
    func inline(_ text: String, line: Line, column: Int) throws -> JSONValue {
      var reader = InlineReader(scalars: Array(text.unicodeScalars))
      let value: JSONValue
      do {
        value = try reader.value(inFlow: false)
        reader.skipSpaces()
        if !reader.atEnd {
          throw InlineReader.Problem(
            offset: reader.index, message: "unexpected text after the value")
        }
      } catch let problem as InlineReader.Problem {
        throw error(line, column: column + problem.offset, problem.message)
      }
      return value
    }

    /// `key: rest` split at the first `: ` (or a final `:`) outside quotes and brackets;
    /// nil when `text` is not a mapping entry.
    static func keySplit(_ text: String) throws -> (String, String)? {
      guard let first = text.first, !"[{".contains(first) else { return nil }
      var quote: Character?
      var position = text.startIndex
      if first == "'" || first == "\"" {
        quote = first
        position = text.index(after: position)
        while position < text.endIndex {
          if text[position] == quote {
            let next = text.index(after: position)
            if first == "'", next < text.endIndex, text[next] == "'" {
              position = text.index(after: next)
              continue
            }
            if first == "\"", text[text.index(before: position)] == "\\" {
              position = next
              continue
            }
            position = next
            break
          }
          position = text.index(after: position)
        }
        guard position < text.endIndex, text[position] == ":" else { return nil }
      } else {
        while position < text.endIndex {
          if text[position] == ":" {
            let next = text.index(after: position)
            if next == text.endIndex || text[next] == " " { break }
          }
          position = text.index(after: position)
        }
        guard position < text.endIndex else { return nil }
      }
      let key = String(text[..<position]).trimmingSpaces()
      let rest = String(text[text.index(after: position)...]).trimmingSpaces()
      return (key, rest)
    }
  }

  /// One line's value: quoted scalars, flow collections, plain scalars.
  struct InlineReader {
    struct Problem: Error {
      var offset: Int
      var message: String
    }

    let scalars: [Unicode.Scalar]
    var index = 0

    var atEnd: Bool { index >= scalars.count }
    var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    mutating func skipSpaces() {
      while current == " " { index += 1 }
    }

    func problem(_ message: String) -> Problem { Problem(offset: index, message: message) }

    mutating func value(inFlow: Bool) throws -> JSONValue {
      skipSpaces()
      guard let scalar = current else { return .null }
      switch scalar {
      case "'": return .string(try singleQuoted())
      case "\"": return .string(try doubleQuoted())
      case "[": return try flowSequence()
      case "{": return try flowMapping()
      case "&", "*":
        throw problem("anchors and aliases are not supported: write the value out")
      case "!": throw problem("tags are not supported here (only '!vault |' values)")
      case "|", ">":
        throw problem("a block scalar (| or >) must end its line")
      case "@", "`": throw problem("a plain scalar cannot start with '\(scalar)': quote it")
      default: return Plain.resolve(plain(inFlow: inFlow))
      }
    }

    mutating func plain(inFlow: Bool) -> String {
      let start = index
      while let scalar = current {
        if inFlow && (scalar == "," || scalar == "]" || scalar == "}") { break }
        if scalar == ":"
          && (index + 1 >= scalars.count || scalars[index + 1] == " "
            || (inFlow && ",]}".unicodeScalars.contains(scalars[index + 1])))
        {
          break
        }
        index += 1
      }
      var text = String(String.UnicodeScalarView(scalars[start..<index]))
      while text.last == " " { text.removeLast() }
      return text
    }

    mutating func singleQuoted() throws -> String {
      index += 1
      var text = String.UnicodeScalarView()
      while let scalar = current {
        index += 1
        if scalar == "'" {
          if current == "'" {
            text.append("'")
            index += 1
            continue
          }
          return String(text)
        }
        text.append(scalar)
      }
      throw problem("a quoted string must end on its line")
    }

    mutating func doubleQuoted() throws -> String {
      index += 1
      var text = String.UnicodeScalarView()
      while let scalar = current {
        index += 1
        if scalar == "\"" { return String(text) }
        guard scalar == "\\" else {
          text.append(scalar)
          continue
        }
        guard let escape = current else { break }
        index += 1
        switch escape {
        case "n": text.append("\n")
        case "t": text.append("\t")
        case "r": text.append("\r")
        case "0": text.append("\0")
        case "\"", "\\", "/", " ": text.append(escape)
        case "x", "u", "U":
          let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
          guard index + width <= scalars.count,
            let code = UInt32(
              String(String.UnicodeScalarView(scalars[index..<index + width])), radix: 16),
            let decoded = Unicode.Scalar(code)
          else { throw problem("invalid \\\(escape) escape") }
          text.append(decoded)
          index += width
        default: throw problem("unknown escape \\\(escape)")
        }
      }
      throw problem("a quoted string must end on its line")
    }

    mutating func flowSequence() throws -> JSONValue {
      index += 1
      var items: [JSONValue] = []
      while true {
        skipSpaces()
        if current == "]" {
          index += 1
          return .array(items)
        }
        guard !atEnd else { throw problem("a flow sequence must close on its line") }
        items.append(try value(inFlow: true))
        skipSpaces()
        if current == "," {
          index += 1
        } else if atEnd {
          throw problem("a flow sequence must close on its line")
        } else if current != "]" {
          throw problem("expected ',' or ']'")
        }
      }
    }

    mutating func flowMapping() throws -> JSONValue {
      index += 1
      var members: [String: JSONValue] = [:]
      while true {
        skipSpaces()
        if current == "}" {
          index += 1
          return .object(members)
        }
        guard !atEnd else { throw problem("a flow mapping must close on its line") }
        let keyStart = index
        let key = try value(inFlow: true)
        guard let name = key.keyText else {
          throw Problem(offset: keyStart, message: "a flow mapping key must be a scalar")
        }
        if members[name] != nil {
          throw Problem(offset: keyStart, message: "duplicate key '\(name)'")
        }
        skipSpaces()
        if current == ":" {
          index += 1
          members[name] = try value(inFlow: true)
        } else {
          members[name] = .null
        }
        skipSpaces()
        if current == "," {
          index += 1
        } else if atEnd {
          throw problem("a flow mapping must close on its line")
        } else if current != "}" {
          throw problem("expected ',' or '}'")
        }
      }
    }
  }

  /// PyYAML's YAML 1.1 resolver for plain scalars, as Ansible reads them.
  enum Plain {
    static func resolve(_ text: String) -> JSONValue {
      switch text {
      case "", "~", "null", "Null", "NULL": return .null
      case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
      case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
      case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
      case ".nan", ".NaN", ".NAN": return .double(.nan)
      default: break
      }
      var body = Substring(text)
      var sign = 1
      if let first = body.first, first == "-" || first == "+" {
        sign = first == "-" ? -1 : 1
        body = body.dropFirst()
      }
      let digits = String(body).replacing("_", with: "")
      guard let lead = digits.first, lead.isASCII, lead.isNumber || lead == "." else {
        return .string(text)
      }
      if digits.hasPrefix("0x"), let value = Int(digits.dropFirst(2), radix: 16) {
        return .int(sign * value)
      }
      if digits.hasPrefix("0b"), let value = Int(digits.dropFirst(2), radix: 2) {
        return .int(sign * value)
      }
      if digits.count > 1, digits.hasPrefix("0"), digits.allSatisfy({ ("0"..."7").contains($0) }) {
        return Int(digits, radix: 8).map { .int(sign * $0) } ?? .string(text)
      }
      if digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        return Int(digits).map { .int(sign * $0) } ?? .string(text)
      }
      // a float needs a dot (PyYAML: `1e3` is a string, `1.0e+3` a number)
      if digits.contains("."), digits.filter({ $0 == "." }).count == 1,
        digits.allSatisfy({ $0.isASCII && ($0.isNumber || "eE+-.".contains($0)) }),
        let value = Double(digits)
      {
        return .double(Double(sign) * value)
      }
      return .string(text)
    }
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var text = Substring(self)
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
