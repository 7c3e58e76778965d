/// A podman `--env-file` (what Quadlet's `EnvironmentFile=` uses): one `NAME=value` a line,
/// the value taken literally to the end of the line. Podman has no quoting and no way to
/// continue a line, so a value with a newline (a PEM key as written) cannot be carried and
/// is refused before any change — never silently cut at its first line.
struct EnvironmentFile: Equatable {
  var entries: [(name: String, value: String, isSecret: Bool)] = []

  static func == (lhs: EnvironmentFile, rhs: EnvironmentFile) -> Bool {
    lhs.entries.map(\.name) == rhs.entries.map(\.name)
      && lhs.entries.map(\.value) == rhs.entries.map(\.value)
      && lhs.entries.map(\.isSecret) == rhs.entries.map(\.isSecret)
  }

  /// Adds `NAME=value`; a `secret` value is masked in diffs of the file (`secretNames`).
  mutating func set(_ name: String, _ value: String, secret: Bool = false) {
    entries.append((name, value, secret))
  }

  mutating func set(_ name: String, _ value: String?, secret: Bool = false) {
    if let value { set(name, value, secret: secret) }
  }

  var text: String { entries.map { "\($0.name)=\($0.value)\n" }.joined() }

  /// The names whose values are secrets, for the diff mask of the file.
  var secretNames: Set<String> { Set(entries.filter(\.isSecret).map(\.name)) }

  /// Why a value cannot go into the file, or nil when it can.
  static func problem(with value: String) -> String? {
    if value.contains("\n") || value.contains("\r") {
      return "contains a line break, which podman's environment file cannot carry "
        + "(it would keep only the first line); give it on one line"
    }
    if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
      return "contains a control character, which an environment file cannot carry"
    }
    return nil
  }
}
