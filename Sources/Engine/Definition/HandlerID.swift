/// The name of a handler, or a `listen` topic. Roles declare theirs as static constants so a
/// typo fails to compile; JSON playbooks use the same names as strings, checked before the run.
public struct HandlerID: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral, Codable
{
  public var rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (lhs: HandlerID, rhs: HandlerID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

extension HandlerID {
  /// What a `notify` entry names in `scope`: itself, or what its `{{ }}` renders to (each
  /// name of a list, `"{{ handler_list }}"`); nil when it cannot be rendered there.
  public func rendered(in scope: StepScope) -> [HandlerID]? {
    guard rawValue.contains("{{") else { return [self] }
    guard let value = try? scope.variables.resolve(.string(rawValue), extra: scope.extraNames)
    else { return nil }
    if case .array(let names) = value { return names.map { HandlerID($0.interpolated) } }
    return [HandlerID(value.interpolated)]
  }
}
