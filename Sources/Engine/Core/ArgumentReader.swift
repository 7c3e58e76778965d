/// The one reader's keyed view (`KeyedObject`) for a `Decodable` type: a module's arguments, a
/// role's variables, a Quadlet section. It reads key by key and collects every problem
/// (unknown key with a suggestion, missing required key, wrong type, bad value) so that all of
/// them are reported at once, then `finish()` throws them together.
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
  private let object: KeyedObject<Keys>

  public init(_ decoder: any Decoder, keys: Keys.Type) throws where Keys: CaseIterable {
    try self.init(decoder, known: Keys.allCases.map(\.stringValue))
  }

  /// Reads the keys named `known`; any other key present is reported as unknown.
  public init(_ decoder: any Decoder, names known: [String]) throws where Keys == AnyCodingKey {
    try self.init(decoder, known: known)
  }

  private init(_ decoder: any Decoder, known: [String]) throws {
    // Arguments arrive as a `JSONValue` (see `JSONValue.decode`); a test may hand Foundation's
    // decoder instead, whose value is read into one first.
    let value = try (decoder as? JSONValueDecoder)?.value ?? JSONValue(from: decoder)
    guard case .object(let members) = value else {
      throw DecodingError.mismatch(value, expected: "an object", at: decoder.codingPath)
    }
    let path = JSONPath(codingPath: decoder.codingPath)
    let reader = DocumentReader(file: "")
    reader.rejectUnknown(members, known: known, at: path)
    object = KeyedObject(members: members, path: path, reader: reader)
  }

  /// Whether the key is present and not null.
  public func has(_ key: Keys) -> Bool { object[key].map { $0 != .null } ?? false }

  /// A required value; nil (with a problem recorded) when missing or ill-typed.
  public func required<T: Decodable>(_ key: Keys, as type: T.Type = T.self) -> T? {
    guard has(key) else {
      record(
        key, "missing required variable, expected \(DecodingDiagnostics.typeDescription(T.self))")
      return nil
    }
    return optional(key, as: type)
  }

  /// An optional value; nil when absent or null (or ill-typed, with a problem recorded).
  public func optional<T: Decodable>(_ key: Keys, as type: T.Type = T.self) -> T? {
    object.decode(key, as: type)
  }

  /// An optional value from a fixed set of names (`state`, `scope`): an unknown name gets one
  /// problem naming the allowed ones and the closest, not Swift's "Cannot initialize State
  /// from invalid String value".
  public func choice<Choice: RawRepresentable & CaseIterable>(
    _ key: Keys, as type: Choice.Type = Choice.self
  ) -> Choice? where Choice.RawValue == String {
    object.choice(key)
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
  public func record(_ key: Keys, _ message: String) { object.problem(key, message) }

  /// Whether a problem was recorded on `key` (or inside its value).
  public func hasProblem(_ key: Keys) -> Bool {
    let prefix = object.path(key).components
    return object.reader.problems.contains {
      Array(($0.location?.path?.components ?? []).prefix(prefix.count)) == prefix
    }
  }

  /// Throws every recorded problem at once.
  public func finish() throws {
    let all = object.reader.problems.map {
      ArgumentProblem(
        path: ($0.location?.path ?? .root).components.map(AnyCodingKey.init),
        message: $0.message)
    }
    if !all.isEmpty { throw ArgumentProblems(problems: all) }
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

extension AnyCodingKey {
  init(_ component: JSONPath.Component) {
    switch component {
    case .key(let key): self.init(key)
    case .index(let index): self.init(index: index)
    }
  }
}
