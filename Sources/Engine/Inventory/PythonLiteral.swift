/// The value of an INI inventory's `key=value`, as ansible-core's ini plugin reads it: Python's
/// `ast.literal_eval` of the text, or the text itself when it is not a literal. So `3` is an
/// integer, `0.5` a number, `True`/`False`/`None` what they say, `[80, 443]` a list and
/// `{'a': 1}` an object, while `true`, `yes`, `0755` and `a b` stay strings (as in Ansible,
/// where `ansible_become=true` is the string "true" until a boolean test reads it).
enum PythonLiteral {
  static func value(of text: String) -> JSONValue {
    var reader = Reader(Array(text.unicodeScalars))
    reader.skipSpaces()
    guard let value = reader.literal() else { return .string(text) }
    reader.skipSpaces()
    return reader.atEnd ? value : .string(text)
  }

  private struct Reader {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { index >= scalars.count }
    var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    mutating func skipSpaces() {
      while let scalar = current, scalar == " " || scalar == "\t" { index += 1 }
    }

    mutating func literal() -> JSONValue? {
      guard let scalar = current else { return nil }
      switch scalar {
      case "'", "\"": return quoted(scalar).map(JSONValue.string)
      case "[": return sequence(closing: "]")
      case "(": return sequence(closing: ")")
      case "{": return mapping()
      default: return word()
      }
    }

    private mutating func quoted(_ quote: Unicode.Scalar) -> String? {
      index += 1
      var text = String.UnicodeScalarView()
      while let scalar = current {
        index += 1
        if scalar == quote { return String(text) }
        if scalar == "\\", let next = current {
          index += 1
          switch next {
          case "n": text.append("\n")
          case "t": text.append("\t")
          case "r": text.append("\r")
          case "0": text.append("\0")
          default: text.append(next)
          }
        } else {
          text.append(scalar)
        }
      }
      return nil
    }

    private mutating func sequence(closing: Unicode.Scalar) -> JSONValue? {
      index += 1
      var items: [JSONValue] = []
      while true {
        skipSpaces()
        if current == closing {
          index += 1
          return .array(items)
        }
        guard let item = literal() else { return nil }
        items.append(item)
        skipSpaces()
        if current == "," {
          index += 1
        } else if current != closing {
          return nil
        }
      }
    }

    private mutating func mapping() -> JSONValue? {
      index += 1
      var members: [String: JSONValue] = [:]
      while true {
        skipSpaces()
        if current == "}" {
          index += 1
          return .object(members)
        }
        guard let key = literal(), let name = key.keyText else { return nil }
        skipSpaces()
        guard current == ":" else { return nil }
        index += 1
        skipSpaces()
        guard let value = literal() else { return nil }
        members[name] = value
        skipSpaces()
        if current == "," {
          index += 1
        } else if current != "}" {
          return nil
        }
      }
    }

    /// `True`, `False`, `None` or a number; anything else is a name, not a literal.
    private mutating func word() -> JSONValue? {
      let start = index
      while let scalar = current, !" \t,:]})".unicodeScalars.contains(scalar) { index += 1 }
      let text = String(String.UnicodeScalarView(scalars[start..<index]))
      switch text {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .null
      default: return Self.number(text)
      }
    }

    /// Python's integer and float literals with an optional sign: `7`, `-3`, `0x1f`, `0o17`,
    /// `1_000`, `0.5`, `1e3`. A decimal integer with a leading zero (`0755`) is not one.
    private static func number(_ text: String) -> JSONValue? {
      var body = Substring(text)
      var negative = false
      if let sign = body.first, sign == "-" || sign == "+" {
        negative = sign == "-"
        body = body.dropFirst()
      }
      guard let first = body.first, first.isASCII, first.isNumber || first == "." else {
        return nil
      }
      let digits = body.replacing("_", with: "")
      for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)]
      where digits.lowercased().hasPrefix(prefix) {
        guard let value = Int(digits.dropFirst(2), radix: radix) else { return nil }
        return .int(negative ? -value : value)
      }
      if digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        if digits.count > 1 && digits.hasPrefix("0") && digits.contains(where: { $0 != "0" }) {
          return nil
        }
        guard let value = Int(digits) else { return nil }
        return .int(negative ? -value : value)
      }
      guard digits.allSatisfy({ $0.isASCII && ($0.isNumber || "eE+-.".contains($0)) }),
        let value = Double(digits)
      else { return nil }
      return .double(negative ? -value : value)
    }
  }
}
