/// Reads a JSON document field by field, collecting every problem with its JSON path instead
/// of stopping at the first, so a user sees all mistakes of a playbook or inventory at once.
final class DocumentReader {
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
      problem(path, "expected \(what) as an object, found \(value.typeName)")
      return nil
    }
    return members
  }

  func list(_ value: JSONValue, at path: JSONPath, what: String) -> [JSONValue]? {
    guard case .array(let items) = value else {
      problem(path, "expected \(what) as a list, found \(value.typeName)")
      return nil
    }
    return items
  }

  func string(_ value: JSONValue?, at path: JSONPath) -> String? {
    guard let value else { return nil }
    guard case .string(let text) = value else {
      problem(path, "expected a string, found \(value.typeName)")
      return nil
    }
    return text
  }

  func bool(_ value: JSONValue?, at path: JSONPath) -> Bool? {
    guard let value else { return nil }
    guard case .bool(let flag) = value else {
      problem(path, "expected a boolean (true or false), found \(value.typeName)")
      return nil
    }
    return flag
  }

  func int(_ value: JSONValue?, at path: JSONPath, in range: ClosedRange<Int>) -> Int? {
    guard let value else { return nil }
    guard case .int(let number) = value else {
      problem(path, "expected an integer, found \(value.typeName)")
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
      problem(path, "expected a string or a list of strings, found \(value.typeName)")
      return []
    }
  }

  /// Reports keys not in `known`, each with the closest known name.
  func rejectUnknown(
    _ members: [String: JSONValue], known: [String], at path: JSONPath, what: String
  ) {
    for key in members.keys.sorted() where !known.contains(key) {
      problem(
        path.appending(key),
        "unknown \(what) key '\(key)'" + Spelling.suggestion(for: key, in: known))
    }
  }
}
