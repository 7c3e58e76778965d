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

  /// Adds `NAME=value`; a `secret` one is not written to the file: it reaches the containers
  /// as a Podman secret (`DCIAPIVariables.podmanSecrets`).
  mutating func set(_ name: String, _ value: String, secret: Bool = false) {
    entries.append((name, value, secret))
  }

  mutating func set(_ name: String, _ value: String?, secret: Bool = false) {
    if let value { set(name, value, secret: secret) }
  }

  /// The file: every entry but the secret ones.
  var text: String { entries.filter { !$0.isSecret }.map { "\($0.name)=\($0.value)\n" }.joined() }

  /// The secret entries, which the file does not hold.
  var secrets: [(name: String, value: String)] {
    entries.filter(\.isSecret).map { ($0.name, $0.value) }
  }

  /// The names whose values are not secret: the only values a diff of the file shows (a
  /// line of any other name, an old file's `DB_PASSWORD=…` included, is masked).
  var publicNames: Set<String> {
    Set(entries.filter { !$0.isSecret }.map(\.name))
      .subtracting(entries.filter(\.isSecret).map(\.name))
  }

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
