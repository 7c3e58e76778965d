import Engine

extension ArgumentReader {
  /// An optional value from a fixed set of names (`state`, `scope`), read as a string so that
  /// an unknown name gets one clear problem naming the allowed ones and the closest
  /// ("unknown state 'strated', expected one of …; did you mean 'started'?") instead of
  /// Swift's "Cannot initialize State from invalid String value strated".
  func choice<Choice: RawRepresentable & CaseIterable>(
    _ key: Keys, as type: Choice.Type = Choice.self
  ) -> Choice? where Choice.RawValue == String {
    guard let name: String = optional(key) else { return nil }
    if let choice = Choice(rawValue: name) { return choice }
    let names = Choice.allCases.map(\.rawValue)
    record(
      key,
      "unknown \(key.stringValue) '\(name)', expected one of \(names.joined(separator: ", "))"
        + Spelling.suggestion(for: name, in: names))
    return nil
  }
}
