import Engine

/// How a managed file (`template`, `copy`) whose text holds secrets still shows a useful diff:
/// every value is masked inside the old and the new text except those of names known not to
/// be secret.
///
/// It works by name, not by value: the runner's `SecretMasker` knows the values of this run,
/// but not the ones the file on the host still holds. And it masks by default: a line the
/// role did not write (an operator's `LEGACY_TOKEN=…`, a commented `#DB_PASSWORD=old`, an
/// `export`ed or indented line) may hold a secret nobody declared, so only the exact
/// `NAME=value` lines of the known public names are shown as they are.
public enum DiffMask: Sendable, Hashable {
  /// `NAME=value` lines (an environment file): the value of every line is shown as
  /// `SecretMasker.placeholder`, except lines `NAME=value` whose `NAME` is one of these. A
  /// line without `=` is masked whole (an empty one is kept). A value that changed is shown as
  /// `******** (changed)` on the new side, so the diff still says which secret changes.
  case valuesExcept(Set<String>)

  /// `before` and `after` with the secrets masked.
  public func masking(before: String, after: String) -> (before: String, after: String) {
    switch self {
    case .valuesExcept(let publicNames):
      let old = Dictionary(
        Self.lines(before).compactMap { line in
          Self.assignment(line, publicNames).flatMap { key, value in key.map { ($0, value) } }
        },
        uniquingKeysWith: { _, last in last })
      let maskedBefore = Self.masking(before, publicNames) { _, _ in SecretMasker.placeholder }
      let maskedAfter = Self.masking(after, publicNames) { key, value in
        let changed = old[key].map { $0 != value } ?? false
        return SecretMasker.placeholder + (changed ? " (changed)" : "")
      }
      return (maskedBefore, maskedAfter)
    }
  }

  private static func lines(_ text: String) -> [Substring] {
    text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// `text` with every masked value replaced; line ends kept.
  private static func masking(
    _ text: String, _ publicNames: Set<String>, _ replacement: (Substring, Substring) -> String
  ) -> String {
    lines(text).map { line in
      guard let (key, value) = assignment(line, publicNames) else { return String(line) }
      guard let key else { return SecretMasker.placeholder }
      return key + "=" + replacement(key, value)
    }.joined(separator: "\n")
  }

  /// A line to mask as (what is shown before the `=`, the hidden value); nil for a line shown
  /// as it is. A line without `=` has no key: it is all value.
  private static func assignment(_ line: Substring, _ publicNames: Set<String>) -> (
    key: Substring?, value: Substring
  )? {
    guard !line.isEmpty else { return nil }
    guard let equals = line.firstIndex(of: "=") else { return (nil, line) }
    let key = line[..<equals]
    if publicNames.contains(String(key)) { return nil }
    return (key, line[line.index(after: equals)...])
  }
}
