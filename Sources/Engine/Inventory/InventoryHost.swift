/// A host as the inventory describes it: its name, how to reach it, its variables.
public struct InventoryHost: Sendable, Hashable, CustomStringConvertible {
  public var name: String
  public var connection: ConnectionSettings
  /// Variables from the host's groups (all, then each group in order) and then its own.
  public var groupVariables: [String: JSONValue]
  public var hostVariables: [String: JSONValue]
  /// Groups this host belongs to, `all` first.
  public var groups: [String]
  /// Where each inventory variable of this host was set (file and JSON path of the winning
  /// value), so a bad value is reported where the operator can fix it.
  public var variableSources: [String: SourceLocation] = [:]

  public init(
    name: String, connection: ConnectionSettings = .local,
    groupVariables: [String: JSONValue] = [:],
    hostVariables: [String: JSONValue] = [:], groups: [String] = ["all"]
  ) {
    self.name = name
    self.connection = connection
    self.groupVariables = groupVariables
    self.hostVariables = hostVariables
    self.groups = groups
  }

  public var description: String { name }
}
