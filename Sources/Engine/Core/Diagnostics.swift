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
