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
    case .null, .array, .object:
      throw DecodingError.mismatch(value, expected: "a string", at: decoder.codingPath)
    }
  }
}
