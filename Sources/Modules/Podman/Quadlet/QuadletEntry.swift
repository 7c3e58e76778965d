/// One `Key=value` line of a unit file section. In JSON an entry is the line itself,
/// `"Notify=healthy"`; the value is written as given (see `QuadletValue` for what is refused).
public struct QuadletEntry: Sendable, Hashable, Decodable, CustomStringConvertible {
  public var key: String
  public var value: String

  public init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let line = try container.decode(String.self)
    guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a 'Key=value' line, found '\(line)'")
    }
    self.init(String(line[..<equals]), String(line[line.index(after: equals)...]))
  }

  public var description: String { "\(key)=\(value)" }
}
