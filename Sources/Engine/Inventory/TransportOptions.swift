/// A transport's settings for one host, as written, in the three places an operator writes
/// them; the transport reads them with a `TransportOptionReader`, which applies Ansible's
/// precedence (variables over the host entry over the defaults).
public struct TransportOptions: Sendable, Hashable {
  /// Keys of the host's entry in a JSON inventory other than the engine's own
  /// (`connection`, `address`, `user`, `become`, `become_user`, `vars`).
  public var entry: [String: SourcedValue]
  /// The host's `ansible_*` variables the engine does not read itself (`ansible_port`, …).
  public var variables: [String: SourcedValue]
  /// What every host starts from: the settings file's keys, then the command line's.
  public var defaults: [String: SourcedValue]

  public init(
    entry: [String: SourcedValue] = [:], variables: [String: SourcedValue] = [:],
    defaults: [String: SourcedValue] = [:]
  ) {
    self.entry = entry
    self.variables = variables
    self.defaults = defaults
  }
}

/// A value and where it was set, so a bad one is reported where the operator can fix it.
public struct SourcedValue: Sendable, Hashable {
  public var value: JSONValue
  /// Nil for a value the command line gave.
  public var source: SourceLocation?

  public init(_ value: JSONValue, at source: SourceLocation?) {
    self.value = value
    self.source = source
  }
}
