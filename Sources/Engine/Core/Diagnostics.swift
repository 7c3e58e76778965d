/// Where a definition comes from: a Swift source line for roles written in Swift, or a JSON
/// file and path for playbooks, inventories and `-e @file` (with the line and column when the
/// text itself is at fault, as for a JSON syntax error).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var column: Int?
  public var path: JSONPath?

  public init(file: String, line: Int? = nil, column: Int? = nil, path: JSONPath? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.path = path
  }

  /// Where a JSON syntax error is in `file`.
  public init(file: String, syntaxError error: JSONSyntaxError) {
    self.init(file: file, line: error.line, column: error.column, path: error.path)
  }

  /// Captures the caller's Swift location; used as a default argument.
  public static func here(fileID: String = #fileID, line: Int = #line) -> SourceLocation {
    SourceLocation(file: fileID, line: line)
  }

  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let line, let column, line > 0 { text += ":\(column)" }
    if let path, !path.isRoot { text += ": \(path)" }
    return text
  }
}

/// A path into a JSON document, printed as `$[0].tasks[2].template.mode`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
  public enum Component: Sendable, Hashable {
    case key(String)
    case index(Int)
  }

  public var components: [Component]

  public init(_ components: [Component] = []) { self.components = components }

  public static let root = JSONPath()

  public var isRoot: Bool { components.isEmpty }

  public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
  public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }
  public func appending(_ other: JSONPath) -> JSONPath {
    JSONPath(components + other.components)
  }

  /// Builds a path from `DecodingError.codingPath`.
  public init(codingPath: [any CodingKey]) {
    self.components = codingPath.map { key in
      if let index = key.intValue { return .index(index) }
      return .key(key.stringValue)
    }
  }

  public var description: String {
    var text = "$"
    for component in components {
      switch component {
      case .key(let key):
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        text += plain ? ".\(key)" : "[\(JSONValue.quote(key))]"
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }
}

/// One problem found in a definition, a playbook or an inventory, with where it is.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }

  public var severity: Severity
  public var location: SourceLocation?
  public var message: String
  public var note: String?

  public init(
    _ severity: Severity = .error, at location: SourceLocation?, _ message: String,
    note: String? = nil
  ) {
    self.severity = severity
    self.location = location
    self.message = message
    self.note = note
  }

  /// Rendered compiler-style: `playbooks/x.json: $[0].tasks[1]: error: …` plus a note line.
  /// One problem is one line: a line break or control character inside the message (a
  /// value quoted in it) is shown escaped, as in JSON, so it cannot split or forge a line.
  public var description: String {
    var text = ""
    if let location { text += "\(location): " }
    text += "\(severity.rawValue): \(Self.escapingControlCharacters(message))"
    if let note { text += "\n  note: \(Self.escapingControlCharacters(note))" }
    return text
  }

  /// `text` with C0, DEL, C1 and the Unicode line and paragraph separators escaped as JSON
  /// escapes them: nothing in it can start a line of its own.
  static func escapingControlCharacters(_ text: String) -> String {
    func isControl(_ scalar: Unicode.Scalar) -> Bool {
      scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
        || scalar.value == 0x2029
    }
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where isControl(scalar):
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

/// Every problem found before a run, reported at once; nothing ran.
public struct DefinitionErrors: Error, Sendable, CustomStringConvertible {
  public var problems: [Diagnostic]

  public init(_ problems: [Diagnostic]) { self.problems = problems }

  public var description: String {
    let count = problems.count
    let header = "\(count) problem\(count == 1 ? "" : "s") found; nothing was changed:"
    return ([header] + problems.map(\.description)).joined(separator: "\n")
  }
}

/// Suggests the closest known name for a misspelled one ("did you mean …?").
public enum Spelling {
  /// Longer words get no suggestion: nobody mistypes a 100,000-character name, and the
  /// distance costs the product of the lengths.
  static let longestWord = 128

  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    guard word.count <= longestWord else { return nil }
    var best: (name: String, distance: Int)?
    let allowed = max(2, word.count / 3)
    // The lengths' difference is a lower bound of the distance: most candidates end there.
    for candidate in candidates where abs(candidate.count - word.count) <= allowed {
      let distance = editDistance(word.lowercased(), candidate.lowercased())
      if distance <= allowed, distance < (best?.distance ?? .max) {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      previous = current
    }
    return previous[b.count]
  }

  /// `; did you mean 'x'?` or nothing.
  public static func suggestion(for word: String, in candidates: some Sequence<String>) -> String {
    guard let match = closest(to: word, in: candidates) else { return "" }
    return "; did you mean '\(match)'?"
  }
}
