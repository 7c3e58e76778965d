/// A coding key for any string, used to list the keys an object really has.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
  public var stringValue: String
  public var intValue: Int?

  public init(_ string: String) { self.stringValue = string }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) { self.init(index: intValue) }

  /// The key of a list item.
  public init(index: Int) {
    self.stringValue = String(index)
    self.intValue = index
  }
}
