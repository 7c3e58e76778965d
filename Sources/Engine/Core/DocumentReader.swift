/// The one reader of keyed input. It reads a JSON value field by field and collects every
/// problem with its JSON path instead of stopping at the first, so a user sees all mistakes at
/// once. An object is read through its keys (`KeyedObject`): a play, a task, an inventory,
/// runner's settings, and, as `ArgumentReader`, every module's arguments and role's
/// variables. So an unknown key, a missing one, a value of the wrong type and an unknown
/// choice are refused in one wording everywhere.
final class DocumentReader {
  /// The file read; empty for arguments, whose file is added by whoever placed them there.
  let file: String
  private(set) var problems: [Diagnostic] = []

  init(file: String) { self.file = file }

  func location(_ path: JSONPath) -> SourceLocation { SourceLocation(file: file, path: path) }

  /// Problems found in another document this one names (a task file).
  func absorb(_ found: [Diagnostic]) { problems += found }

  func problem(_ path: JSONPath, _ message: String, note: String? = nil) {
    problems.append(Diagnostic(at: location(path), message, note: note))
  }

  /// The members of an object, or nil (with a problem) when the value is not an object.
  func object(_ value: JSONValue, at path: JSONPath, what: String) -> [String: JSONValue]? {
    guard case .object(let members) = value else {
      problem(path, value.mismatch(expected: "\(what) as an object"))
      return nil
    }
    return members
  }

  func list(_ value: JSONValue, at path: JSONPath, what: String) -> [JSONValue]? {
    guard case .array(let items) = value else {
      problem(path, value.mismatch(expected: "\(what) as a list"))
      return nil
    }
    return items
  }

  func string(_ value: JSONValue?, at path: JSONPath) -> String? {
    guard let value else { return nil }
    guard case .string(let text) = value else {
      problem(path, value.mismatch(expected: "a string"))
      return nil
    }
    return text
  }

  func bool(_ value: JSONValue?, at path: JSONPath) -> Bool? {
    guard let value else { return nil }
    guard case .bool(let flag) = value else {
      problem(path, value.mismatch(expected: "a boolean (true or false)"))
      return nil
    }
    return flag
  }

  func int(_ value: JSONValue?, at path: JSONPath, in range: ClosedRange<Int>) -> Int? {
    guard let value else { return nil }
    guard case .int(let number) = value else {
      problem(path, value.mismatch(expected: "an integer"))
      return nil
    }
    guard range.contains(number) else {
      problem(
        path, "expected an integer in \(range.lowerBound)...\(range.upperBound), found \(number)")
      return nil
    }
    return number
  }

  /// A string or a list of strings (`notify: "x"` or `notify: ["x", "y"]`).
  func strings(_ value: JSONValue?, at path: JSONPath) -> [String] {
    guard let value else { return [] }
    switch value {
    case .string(let text): return [text]
    case .array(let items):
      return items.enumerated().compactMap { index, item in string(item, at: path.appending(index))
      }
    default:
      problem(path, value.mismatch(expected: "a string or a list of strings"))
      return []
    }
  }

  /// A value from a fixed set of names (a `state`, a `strategy`), read as a string so that an
  /// unknown name gets one clear problem naming the allowed ones and the closest ("unknown
  /// state 'strated', expected one of …; did you mean 'started'?"); `what` names the value.
  func choice<Choice: RawRepresentable & CaseIterable>(
    _ value: JSONValue?, at path: JSONPath, what: String, as type: Choice.Type = Choice.self
  ) -> Choice? where Choice.RawValue == String {
    guard let name = string(value, at: path) else { return nil }
    if let choice = Choice(rawValue: name) { return choice }
    let names = Choice.allCases.map(\.rawValue)
    problem(
      path,
      "unknown \(what) '\(name)', expected one of \(names.joined(separator: ", "))"
        + Spelling.suggestion(for: name, in: names))
    return nil
  }

  /// Reports keys not in `known`, each with the closest known name; `what` names the kind of
  /// key ("play", "task") where the path alone does not say it.
  func rejectUnknown(
    _ members: [String: JSONValue], known: [String], at path: JSONPath, what: String? = nil
  ) {
    let kind = what.map { "\($0) " } ?? ""
    for key in members.keys.sorted() where !known.contains(key) {
      problem(
        path.appending(key),
        "unknown \(kind)key '\(key)'" + Spelling.suggestion(for: key, in: known))
    }
  }

  /// A typed value decoded from `value`, or nil with every problem found in it recorded at
  /// its path. A text where an integer or a boolean is expected is converted as Ansible's
  /// argument spec converts it (see `AnsibleConversion`).
  func decode<T: Decodable>(_ value: JSONValue, at path: JSONPath, as type: T.Type = T.self) -> T? {
    do {
      return try JSONValueDecoder.decode(
        T.self, from: value, at: path.components.map(AnyCodingKey.init))
    } catch {
      if let converted = AnsibleConversion.convert(value, to: T.self) { return converted }
      for (found, message) in DecodingDiagnostics.describeAll(error) {
        // Decoding errors carry the absolute path; an error raised by hand may carry none.
        problem(found.isRoot ? path : found, message)
      }
      return nil
    }
  }
}
