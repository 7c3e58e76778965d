import Engine

/// A JSON value that is one string or a list of strings, for keys a unit may repeat
/// (`"network": "web.network"` or `"network": ["a.network", "b.network"]`).
struct StringList: Decodable {
  var values: [String]

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let one = try? container.decode(String.self) {
      values = [one]
    } else if let many = try? container.decode([String].self) {
      values = many
    } else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a string or a list of strings")
    }
  }
}
