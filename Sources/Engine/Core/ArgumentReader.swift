import Foundation
import Synchronization

/// Reads a module's arguments or a role's variables key by key, collecting every problem
/// (unknown key with a suggestion, missing required key, wrong type, bad value) so that all
/// of them are reported at once, then `finish()` throws them together.
///
/// ```swift
/// let args = try ArgumentReader(decoder, keys: CodingKeys.self)
/// path = args.required(.path) ?? "/"
/// mode = args.optional(.mode)
/// try args.finish()
/// ```
///
/// A module names its keys with a `CodingKeys` enum; a role's variables, declared in a table
/// (`DeclaredVariables`), are read by name (`Keys` is `AnyCodingKey`).
public struct ArgumentReader<Keys: CodingKey> {
  private let container: KeyedDecodingContainer<Keys>
  private let base: [AnyCodingKey]
  private let problems = ProblemList()

  public init(_ decoder: any Decoder, keys: Keys.Type) throws where Keys: CaseIterable {
    try self.init(decoder, known: Keys.allCases.map(\.stringValue))
  }

  /// Reads the keys named `known`; any other key present is reported as unknown.
  public init(_ decoder: any Decoder, names known: [String]) throws where Keys == AnyCodingKey {
    try self.init(decoder, known: known)
  }

  private init(_ decoder: any Decoder, known: [String]) throws {
    base = decoder.codingPath.map { AnyCodingKey($0.stringValue) }
    let present = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
    for key in present.sorted() where !known.contains(key) {
      problems.append(
        ArgumentProblem(
          path: base + [AnyCodingKey(key)],
          message: "unknown key '\(key)'" + Spelling.suggestion(for: key, in: known)))
    }
    container = try decoder.container(keyedBy: Keys.self)
  }

  /// Whether the key is present and not null.
  public func has(_ key: Keys) -> Bool {
    container.contains(key) && ((try? container.decodeNil(forKey: key)) == false)
  }

  /// A required value; nil (with a problem recorded) when missing or ill-typed.
  public func required<T: Decodable>(_ key: Keys, as type: T.Type = T.self) -> T? {
    guard has(key) else {
      record(
        key, "missing required variable, expected \(DecodingDiagnostics.typeDescription(T.self))")
      return nil
    }
    return decode(key, as: type)
  }

  /// An optional value; nil when absent or null (or ill-typed, with a problem recorded).
  public func optional<T: Decodable>(_ key: Keys, as type: T.Type = T.self) -> T? {
    guard has(key) else { return nil }
    return decode(key, as: type)
  }

  /// An optional value with its default.
  public func optional<T: Decodable>(_ key: Keys, default value: T) -> T {
    optional(key, as: T.self) ?? value
  }

  /// Records a problem on `key` unless `condition` holds.
  public func check(_ condition: Bool, _ key: Keys, _ message: @autoclosure () -> String) {
    if !condition { record(key, message()) }
  }

  /// Records a problem on `key`.
  public func record(_ key: Keys, _ message: String) {
    problems.append(ArgumentProblem(path: base + [AnyCodingKey(key.stringValue)], message: message))
  }

  /// Whether a problem was recorded on `key` (or inside its value).
  public func hasProblem(_ key: Keys) -> Bool {
    let path = (base + [AnyCodingKey(key.stringValue)]).map(\.stringValue)
    return problems.all.contains { Array($0.path.map(\.stringValue).prefix(path.count)) == path }
  }

  /// Throws every recorded problem at once.
  public func finish() throws {
    let all = problems.all
    if !all.isEmpty { throw ArgumentProblems(problems: all) }
  }

  private func decode<T: Decodable>(_ key: Keys, as type: T.Type) -> T? {
    do {
      return try container.decode(T.self, forKey: key)
    } catch {
      if let converted = convertedText(key, as: type) { return converted }
      for (path, message) in DecodingDiagnostics.describeAll(error) {
        let absolute =
          path.isRoot ? JSONPath(codingPath: base + [AnyCodingKey(key.stringValue)]) : path
        problems.append(
          ArgumentProblem(path: absolute.components.map(AnyCodingKey.init), message: message))
      }
      return nil
    }
  }
}

extension ArgumentReader {
  /// A text where an integer or a boolean is expected, converted as Ansible's argument spec
  /// converts it: `-e scale=2` gives the text "2", which an `int` variable takes as 2, and
  /// `yes`/`no`, `true`/`false`, `on`/`off`, `1`/`0` are booleans. Nil when it is no such text.
  fileprivate func convertedText<T>(_ key: Keys, as type: T.Type) -> T? {
    guard let text = try? container.decode(String.self, forKey: key) else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if T.self == Int.self, let number = Int(trimmed) { return number as? T }
    if T.self == Bool.self, let value = Self.booleans[trimmed.lowercased()] { return value as? T }
    return nil
  }

  private static var booleans: [String: Bool] {
    [
      "yes": true, "on": true, "1": true, "true": true, "y": true, "t": true,
      "no": false, "off": false, "0": false, "false": false, "n": false, "f": false,
    ]
  }
}

/// One problem in arguments or variables, at a path relative to the decoded document.
public struct ArgumentProblem: Sendable, Hashable {
  public var path: [AnyCodingKey]
  public var message: String

  public init(path: [AnyCodingKey], message: String) {
    self.path = path
    self.message = message
  }
}

/// Every problem `ArgumentReader` found.
public struct ArgumentProblems: Error, Sendable, CustomStringConvertible {
  public var problems: [ArgumentProblem]

  public init(problems: [ArgumentProblem]) { self.problems = problems }

  public var description: String {
    problems.map { "\(JSONPath(codingPath: $0.path)): \($0.message)" }.joined(separator: "\n")
  }
}

final class ProblemList: Sendable {
  private let list = Mutex<[ArgumentProblem]>([])
  func append(_ problem: ArgumentProblem) { list.withLock { $0.append(problem) } }
  var all: [ArgumentProblem] { list.withLock { $0 } }
}

extension AnyCodingKey {
  init(_ component: JSONPath.Component) {
    switch component {
    case .key(let key): self.init(key)
    case .index(let index):
      self.init(String(index))
      self.intValue = index
    }
  }
}
