public import Foundation

/// A JSON value, kept as typed data so variables can flow from JSON files, the inventory and
/// `-e` into typed module arguments and role variables without losing their type.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The name of this value's type, as error messages state it.
  public var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .int: "integer"
    case .double: "number"
    case .string: "string"
    case .array: "list"
    case .object: "object"
    }
  }

  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  public var intValue: Int? {
    if case .int(let value) = self { return value }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  public var objectValue: [String: JSONValue]? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Ansible's truthiness, used by conditions written as variables.
  public var isTruthy: Bool {
    switch self {
    case .null: false
    case .bool(let value): value
    case .int(let value): value != 0
    case .double(let value): value != 0
    case .string(let value): !value.isEmpty
    case .array(let value): !value.isEmpty
    case .object(let value): !value.isEmpty
    }
  }

  /// The text this value becomes when interpolated into a longer string.
  public var interpolated: String {
    switch self {
    case .null: ""
    case .bool(let value): value ? "True" : "False"
    case .int(let value): String(value)
    case .double(let value): String(value)
    case .string(let value): value
    case .array, .object: compactJSON
    }
  }

  /// Compact JSON with sorted keys, as Python's `json.dumps(sort_keys=True)` prints it.
  public var compactJSON: String { render(indent: nil, level: 0) }

  /// JSON indented by `indent` spaces with sorted keys.
  public func prettyJSON(indent: Int = 4) -> String { render(indent: indent, level: 0) }

  private func render(indent: Int?, level: Int) -> String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .double(let value): return String(value)
    case .string(let value): return JSONValue.quote(value)
    case .array(let values):
      if values.isEmpty { return "[]" }
      let parts = values.map { $0.render(indent: indent, level: level + 1) }
      return JSONValue.join(parts, open: "[", close: "]", indent: indent, level: level)
    case .object(let members):
      if members.isEmpty { return "{}" }
      let parts = members.keys.sorted().map { key in
        "\(JSONValue.quote(key)): \(members[key, default: .null].render(indent: indent, level: level + 1))"
      }
      return JSONValue.join(parts, open: "{", close: "}", indent: indent, level: level)
    }
  }

  private static func join(
    _ parts: [String], open: String, close: String, indent: Int?, level: Int
  ) -> String {
    guard let indent else { return open + parts.joined(separator: ", ") + close }
    let inner = String(repeating: " ", count: indent * (level + 1))
    let outer = String(repeating: " ", count: indent * level)
    return open + "\n" + parts.map { inner + $0 }.joined(separator: ",\n") + "\n" + outer + close
  }

  /// A JSON string literal; non-ASCII is kept as is (`ensure_ascii=False`).
  public static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20:
        out += String(format: "\\u%04x", c.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

extension JSONValue: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .double(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .int(let value): try container.encode(value)
    case .double(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension JSONValue {
  /// Parses JSON text strictly: a syntax error, a duplicated key or too deep a nesting throws
  /// `JSONSyntaxError` with its line, column and JSON path (see `JSONParser`).
  public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
    try JSONParser.parse(data)
  }

  /// Decodes a typed value from this JSON value, directly (see `JSONValueDecoder`).
  public func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try JSONValueDecoder.decode(T.self, from: self, at: [])
  }
}

extension JSONValue {
  /// A scalar as the text of a mapping key, as Python's `json` writes a non-string key
  /// (`1` → "1", `True` → "true", `None` → "null"); nil for a list or an object.
  var keyText: String? {
    switch self {
    case .string(let text): text
    case .int(let number): String(number)
    case .double(let number): String(number)
    case .bool(let flag): flag ? "true" : "false"
    case .null: "null"
    default: nil
    }
  }
}
