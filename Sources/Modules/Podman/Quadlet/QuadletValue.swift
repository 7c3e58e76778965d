import Foundation

/// How a typed value becomes the text after `Key=` in a Quadlet file, and which values
/// cannot be written at all. Checked against podman 5.4.2's quadlet and systemd 257:
///
/// - A newline (or any control character) would end the line and corrupt the file, a trailing
///   backslash would continue the line, and leading or trailing blanks are stripped by the
///   parser: all refused.
/// - Quadlet splits some keys into words (`Exec`, `PodmanArgs`, `Environment`, `Label`,
///   `EnvironmentFile`) with systemd's quoting rules, so such words are double-quoted when
///   they hold blanks, quotes or backslashes. An empty word is refused: quadlet silently
///   drops it AND every word after it. A lone `;` is refused: quadlet copies it bare into
///   `ExecStart=`, where systemd reads it as a command separator.
/// - Everything ends up in the generated `ExecStart=`, where systemd expands `%` specifiers
///   (`%i`, `%n`) and `$VAR`. Command arguments (`QuadletCommand`, `HealthCmd`,
///   `PodmanArgs`) are literal: `%` is written `%%` and `$` is written `$$`, so the container
///   receives exactly the argument given. All other values are unit-file values in which
///   specifiers work (`ContainerName=dci-api-%i`); write `%%` there for a literal percent.
enum QuadletValue {
  /// Why `text` cannot be a value, or nil when it can.
  static func problem(with text: String, allowsBlanks: Bool = true) -> String? {
    if text.isEmpty { return "is empty" }
    if let control = text.unicodeScalars.first(where: isControl) {
      let name = control == "\n" ? "a newline" : "control character U+\(hex(control))"
      return "contains \(name), which cannot be written into a unit file line"
    }
    if !allowsBlanks, text.contains(where: { $0.isWhitespace }) {
      return "'\(text)' contains blanks"
    }
    if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
      return "'\(text)' starts or ends with blanks, which the unit file parser strips"
    }
    if text.hasSuffix("\\") {
      return "'\(text)' ends with a backslash, which would join the next line to it"
    }
    return nil
  }

  /// Why `word` cannot be one word of a split value, or nil when it can.
  static func problem(withWord word: String) -> String? {
    if word.isEmpty { return "is empty; quadlet drops an empty argument and every one after it" }
    if let control = word.unicodeScalars.first(where: isControl) {
      let name = control == "\n" ? "a newline" : "control character U+\(hex(control))"
      return "contains \(name), which cannot be written into a unit file line"
    }
    if word == ";" { return "is a lone ';', which systemd reads as a command separator" }
    return nil
  }

  /// `text` with systemd's expansions turned off: `%` → `%%`, `$` → `$$`.
  static func literal(_ text: String) -> String {
    text.replacingOccurrences(of: "%", with: "%%").replacingOccurrences(of: "$", with: "$$")
  }

  /// One word, double-quoted when quadlet's splitter would otherwise cut or unescape it.
  static func word(_ word: String) -> String {
    let plain = word.allSatisfy { !$0.isWhitespace && !"\"'\\".contains($0) }
    guard !plain else { return word }
    let escaped = word.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    return "\"\(escaped)\""
  }

  /// Words joined into one value, each quoted as needed.
  static func words(_ words: [String]) -> String {
    words.map(word).joined(separator: " ")
  }

  /// A JSON array of strings (`["curl","--head","http://x/"]`), the exec form podman's
  /// `--health-cmd` accepts.
  static func jsonArray(_ strings: [String]) -> String {
    let items = strings.map { string in
      "\""
        + string.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
    return "[" + items.joined(separator: ",") + "]"
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || scalar.value == 0x7F
  }

  private static func hex(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
