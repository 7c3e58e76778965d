/// A string argument that a number or a boolean is coerced to (its text), as Ansible's
/// `str` arguments do. A value that is exactly one reference takes the variable's type, so
/// `"argv": ["echo", "{{ port }}"]` with `port: 8080` holds the integer 8080; the program
/// still gets `8080` (booleans give `True`/`False`, as in interpolated text). Lists, objects
/// and null are still refused.
///
/// Opt-in per argument (`let argv: [CoercedString]? = reader.optional(.argv)`): where a number
/// usually means a mistake — a file mode, which Ansible would read `644` as decimal — the
/// argument stays a plain `String`.
public struct CoercedString: Decodable, Sendable, Hashable {
  public var text: String

  public init(_ text: String) { self.text = text }

  public init(from decoder: any Decoder) throws {
    let value = try JSONValue(from: decoder)
    switch value {
    case .string(let text): self.text = text
    case .int, .double, .bool: self.text = value.interpolated
    case .null:
      throw DecodingError.valueNotFound(
        String.self,
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "found null"))
    case .array, .object:
      let found = if case .array = value { "an array" } else { "an object" }
      throw DecodingError.typeMismatch(
        String.self,
        DecodingError.Context(
          codingPath: decoder.codingPath,
          debugDescription: "Expected to decode String but found \(found) instead."))
    }
  }
}
