/// An object of keyed input seen through its keys: each key is a case of `Key`, so a key is
/// spelled once, where it is declared, and its value and its path come from the same case. The
/// one reader's view for a play, a task, an inventory host and runner's settings, and, through
/// `ArgumentReader`, for module arguments and role variables.
///
/// ```swift
/// guard let play = reader.object(value, at: path, what: "a play", keys: PlayKey.self) else { … }
/// name = play.string(.name)
/// tags = play.tags(.tags)
/// ```
struct KeyedObject<Key: CodingKey> {
  let members: [String: JSONValue]
  let path: JSONPath
  let reader: DocumentReader

  subscript(key: Key) -> JSONValue? { members[key.stringValue] }

  /// Whether the key is present (null counts: the user wrote it).
  func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

  func path(_ key: Key) -> JSONPath { path.appending(key.stringValue) }

  func problem(_ key: Key, _ message: String, note: String? = nil) {
    reader.problem(path(key), message, note: note)
  }

  func string(_ key: Key) -> String? { reader.string(self[key], at: path(key)) }
  func bool(_ key: Key) -> Bool? { reader.bool(self[key], at: path(key)) }
  func strings(_ key: Key) -> [String] { reader.strings(self[key], at: path(key)) }
  func tags(_ key: Key) -> Set<String> { reader.tags(self[key], at: path(key)) }

  /// One of `Choice`'s names, the key naming it in a problem ("unknown strategy 'x'").
  func choice<Choice: RawRepresentable & CaseIterable>(
    _ key: Key, as type: Choice.Type = Choice.self
  ) -> Choice? where Choice.RawValue == String {
    reader.choice(self[key], at: path(key), what: key.stringValue)
  }

  func int(_ key: Key, in range: ClosedRange<Int>) -> Int? {
    reader.int(self[key], at: path(key), in: range)
  }

  /// The members of the object under `key`; nil when absent (or not an object, reported).
  func object(_ key: Key, what: String) -> [String: JSONValue]? {
    self[key].flatMap { reader.object($0, at: path(key), what: what) }
  }

  /// A typed value under `key`; nil when absent or null (or ill-typed, reported).
  func decode<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
    guard let value = self[key], value != .null else { return nil }
    return reader.decode(value, at: path(key), as: type)
  }
}

extension DocumentReader {
  /// `value` as an object keyed by `Key`, its unknown keys reported with the closest known
  /// one; nil (reported) when it is not an object.
  func object<Key: CodingKey & CaseIterable>(
    _ value: JSONValue, at path: JSONPath, what: String, keys: Key.Type, kind: String? = nil
  ) -> KeyedObject<Key>? {
    guard let members = object(value, at: path, what: what) else { return nil }
    rejectUnknown(members, known: Key.allCases.map(\.stringValue), at: path, what: kind)
    return KeyedObject(members: members, path: path, reader: self)
  }
}
