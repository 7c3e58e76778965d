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

/// The name of a role (`"dci_api"`).
public struct RoleName: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public var rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (lhs: RoleName, rhs: RoleName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Which handler of a play a notification reached: its role (nil for the play's own) and
/// its name, or, for an unnamed handler that only listens, where it is defined. Pending
/// notifications and the pending-handler record hold these, never display text.
public struct HandlerIdentity: Sendable, Hashable, CustomStringConvertible {
  public let role: RoleName?
  public let name: HandlerID?
  /// Tells unnamed handlers apart (nil for a named one: its name does).
  public let definition: SourceLocation?

  public init(role: RoleName?, name: HandlerID?, definition: SourceLocation? = nil) {
    self.role = role
    self.name = name
    self.definition = name == nil ? definition : nil
  }

  /// `role : name`, as banners and the pending-handler record show it.
  public var description: String {
    let own = name?.rawValue ?? "(unnamed handler at \(definition?.description ?? "?"))"
    return role.map { "\($0) : \(own)" } ?? own
  }
}
