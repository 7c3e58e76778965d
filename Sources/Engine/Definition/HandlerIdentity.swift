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
