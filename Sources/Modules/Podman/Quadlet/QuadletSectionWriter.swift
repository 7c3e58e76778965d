import Engine

/// Builds one section's lines from typed values, encoding each as `QuadletValue` says and
/// collecting every value that cannot be written, so a unit reports all its problems at once.
struct QuadletSectionWriter: Sendable {
  let section: String
  private(set) var entries: [QuadletEntry] = []
  private(set) var problems: [QuadletProblem] = []

  init(section: String) { self.section = section }

  /// `Key=text` when `text` is set; specifiers in it stay live. `allowsBlanks: false` for
  /// keys quadlet splits at blanks (`PublishPort`, `Network`, …).
  mutating func text(_ key: String, _ text: String?, allowsBlanks: Bool = true) {
    guard let text else { return }
    if let problem = QuadletValue.problem(with: text, allowsBlanks: allowsBlanks) {
      record(key, problem)
    } else {
      entries.append(QuadletEntry(key, text))
    }
  }

  /// One `Key=text` line per value, in order.
  mutating func lines(_ key: String, _ values: [String], allowsBlanks: Bool = true) {
    for value in values { text(key, value, allowsBlanks: allowsBlanks) }
  }

  /// `Key=true|false` when set.
  mutating func flag(_ key: String, _ value: Bool?) {
    if let value { entries.append(QuadletEntry(key, value ? "true" : "false")) }
  }

  /// `Key=<n>` when set.
  mutating func number(_ key: String, _ value: Int?) {
    if let value { entries.append(QuadletEntry(key, String(value))) }
  }

  /// One line of words, each quoted as needed; `literal` turns `%` and `$` expansion off.
  mutating func words(_ key: String, _ words: [String], literal: Bool) {
    guard !words.isEmpty else { return }
    var valid = true
    for (index, word) in words.enumerated() {
      if let problem = QuadletValue.problem(withWord: word) {
        record(key, "argument \(index + 1) \(problem)")
        valid = false
      }
    }
    if valid {
      entries.append(
        QuadletEntry(key, QuadletValue.words(literal ? words.map(QuadletValue.literal) : words)))
    }
  }

  /// One `Key="NAME=value"` line per pair, sorted by name (`Environment`, `Label`).
  mutating func assignments(_ key: String, _ pairs: [String: String]) {
    for (name, value) in pairs.sorted(by: { $0.key < $1.key }) {
      if name.isEmpty || name.contains("=") || name.contains(where: { $0.isWhitespace }) {
        record(key, "'\(name)' is not a valid name (empty, or with '=' or blanks)")
      } else {
        words(key, ["\(name)=\(value)"], literal: false)
      }
    }
  }

  /// Extra lines for keys without a typed property. Each key must be one `supported` lists
  /// (an unknown one gets "did you mean") and not one a typed property already writes.
  mutating func extra(
    _ extra: [QuadletEntry], supported: Set<String>, typed: [String: String] = [:]
  ) {
    for entry in extra {
      if let argument = typed[entry.key] {
        record(entry.key, "has its own argument '\(argument)'; set it there instead of in 'extra'")
      } else if !supported.contains(entry.key) {
        record(
          entry.key,
          "unknown key" + Spelling.suggestion(for: entry.key, in: supported))
      } else {
        text(entry.key, entry.value)
      }
    }
  }

  mutating func record(_ key: String, _ message: String) {
    problems.append(QuadletProblem(section: section, key: key, message: message))
  }

  /// The finished section.
  var file: QuadletFile.Section { QuadletFile.Section(section, entries) }
}
