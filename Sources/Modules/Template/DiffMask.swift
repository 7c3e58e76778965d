import Engine

/// How a `template` whose text holds secrets still shows a useful diff: the secrets are masked
/// inside the old and the new text, every other line is shown as it is.
///
/// It works by name, not by value: the runner's `SecretMasker` knows the values of this run,
/// but not the ones the file on the host still holds, so the old text's secrets would
/// otherwise be printed.
public enum DiffMask: Sendable, Hashable {
  /// `NAME=value` lines (an environment file): the value of each of these names is shown as
  /// `SecretMasker.placeholder`. A value that changed is shown as `******** (changed)` on the
  /// new side, so the diff still says which secret changes.
  case values(of: Set<String>)

  /// `before` and `after` with the secrets masked.
  public func masking(before: String, after: String) -> (before: String, after: String) {
    switch self {
    case .values(let names):
      let old = Self.values(in: before, named: names)
      let maskedBefore = Self.replacingValues(in: before, named: names) { _, _ in
        SecretMasker.placeholder
      }
      let maskedAfter = Self.replacingValues(in: after, named: names) { name, value in
        let changed = old[name].map { $0 != value } ?? false
        return SecretMasker.placeholder + (changed ? " (changed)" : "")
      }
      return (maskedBefore, maskedAfter)
    }
  }

  /// The value of each `NAME=value` line whose name is in `names`.
  private static func values(in text: String, named names: Set<String>) -> [String: Substring] {
    var values: [String: Substring] = [:]
    for line in text.split(separator: "\n") {
      if let (name, value) = assignment(line, names) { values[name] = value }
    }
    return values
  }

  /// `text` with the value of every `NAME=value` line of `names` replaced; line ends kept.
  private static func replacingValues(
    in text: String, named names: Set<String>,
    _ replacement: (String, Substring) -> String
  ) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      guard let (name, value) = assignment(line, names) else { return String(line) }
      return name + "=" + replacement(name, value)
    }.joined(separator: "\n")
  }

  private static func assignment(_ line: Substring, _ names: Set<String>) -> (
    String, Substring
  )? {
    guard let equals = line.firstIndex(of: "="), names.contains(String(line[..<equals])) else {
      return nil
    }
    return (String(line[..<equals]), line[line.index(after: equals)...])
  }
}
