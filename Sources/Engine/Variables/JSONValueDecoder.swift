/// Decodes a `Decodable` value straight from a `JSONValue`: module arguments and role
/// variables are already `JSONValue`s once resolved, so they are not printed as JSON text for
/// Foundation's decoder to parse again. Its type errors use the reader's one wording
/// (`JSONValue.mismatch(expected:)`), so a document and an argument are refused alike.
struct JSONValueDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(_ value: JSONValue, at codingPath: [any CodingKey] = []) {
    self.value = value
    self.codingPath = codingPath
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let members) = value else { throw mismatch("an object") }
    return KeyedDecodingContainer(Keyed(members: members, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else { throw mismatch("a list") }
    return Unkeyed(items: items, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

  fileprivate func mismatch(_ expected: String) -> DecodingError {
    .mismatch(value, expected: expected, at: codingPath)
  }

  /// The value as `T`: a `JSONValue` as it is, anything else through its `init(from:)`.
  static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at path: [any CodingKey])
    throws -> T
  {
    if let same = value as? T { return same }
    return try T(from: JSONValueDecoder(value, at: path))
  }
}

extension JSONValueDecoder: SingleValueDecodingContainer {
  func decodeNil() -> Bool { value == .null }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard case .bool(let flag) = value else { throw mismatch("a boolean") }
    return flag
  }

  func decode(_ type: String.Type) throws -> String {
    guard case .string(let text) = value else { throw mismatch("a string") }
    return text
  }

  func decode(_ type: Double.Type) throws -> Double {
    switch value {
    case .double(let number): return number
    case .int(let number): return Double(number)
    default: throw mismatch("a number")
    }
  }

  func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
  func decode(_ type: Int.Type) throws -> Int { try integer() }
  func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
  func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
  func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
  func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
  func decode(_ type: UInt.Type) throws -> UInt { try integer() }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try Self.decode(type, from: value, at: codingPath)
  }

  /// An integer of the width asked for; a fraction or a number outside that width is refused
  /// with the number itself, as the user wrote it.
  private func integer<T: FixedWidthInteger>() throws -> T {
    switch value {
    case .int(let number):
      if let exact = T(exactly: number) { return exact }
      throw corrupted(
        "expected an integer, found \(number), which is too \(number < 0 ? "small" : "large")")
    case .double(let number):
      if let exact = T(exactly: number) { return exact }
      let isWhole = number.rounded() == number
      throw corrupted(
        "expected an integer, found \(number)"
          + (isWhole ? ", which is too \(number < 0 ? "small" : "large")" : ""))
    default:
      throw mismatch("an integer")
    }
  }

  private func corrupted(_ message: String) -> DecodingError {
    .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: message))
  }
}

extension JSONValueDecoder {
  fileprivate struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.sorted().compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      let value = try member(key)
      if value == .null, !(T.self is JSONValue.Type), !(T.self is any ExpressibleByNilLiteral.Type)
      {
        throw DecodingError.valueNotFound(
          T.self,
          DecodingError.Context(
            codingPath: codingPath + [key],
            debugDescription: value.mismatch(expected: DecodingDiagnostics.typeDescription(T.self))
          ))
      }
      return try JSONValueDecoder.decode(type, from: value, at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
      try JSONValueDecoder(try member(key), at: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try JSONValueDecoder(try member(key), at: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
      JSONValueDecoder(.object(members), at: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
      JSONValueDecoder(try member(key), at: codingPath + [key])
    }

    private func member(_ key: Key) throws -> JSONValue {
      guard let value = members[key.stringValue] else {
        throw DecodingError.keyNotFound(
          key,
          DecodingError.Context(
            codingPath: codingPath, debugDescription: "missing required key '\(key.stringValue)'"))
      }
      return value
    }
  }

  fileprivate struct Unkeyed: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
      self.items = items
      self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func decodeNil() throws -> Bool {
      guard try next(advancing: false) == .null else { return false }
      currentIndex += 1
      return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      let value = try next(advancing: false)
      let decoded = try JSONValueDecoder.decode(type, from: value, at: codingPath + [indexKey])
      currentIndex += 1
      return decoded
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
      let path = codingPath + [indexKey]
      return try JSONValueDecoder(try next(advancing: true), at: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      let path = codingPath + [indexKey]
      return try JSONValueDecoder(try next(advancing: true), at: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
      let path = codingPath + [indexKey]
      return JSONValueDecoder(try next(advancing: true), at: path)
    }

    private var indexKey: AnyCodingKey { AnyCodingKey(index: currentIndex) }

    private mutating func next(advancing: Bool) throws -> JSONValue {
      guard !isAtEnd else {
        throw DecodingError.valueNotFound(
          JSONValue.self,
          DecodingError.Context(
            codingPath: codingPath + [indexKey], debugDescription: "the list has no more items"))
      }
      let value = items[currentIndex]
      if advancing { currentIndex += 1 }
      return value
    }
  }
}

extension JSONValue {
  /// The type of this value with its article ("a string", "an object"), as a message says
  /// what it found.
  public var typePhrase: String {
    switch self {
    case .null: "null"
    case .int: "an integer"
    case .object: "an object"
    default: "a \(typeName)"
    }
  }

  /// The one wording for a value of the wrong type: "expected a string, found a list".
  public func mismatch(expected: String) -> String {
    "expected \(expected), found \(typePhrase)"
  }
}

extension DecodingError {
  /// `value` is not of the type `expected`, in the reader's one wording.
  static func mismatch(_ value: JSONValue, expected: String, at codingPath: [any CodingKey])
    -> DecodingError
  {
    .typeMismatch(
      JSONValue.self,
      Context(codingPath: codingPath, debugDescription: value.mismatch(expected: expected)))
  }
}
