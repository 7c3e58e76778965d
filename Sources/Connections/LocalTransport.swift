public import Engine

/// `connection: local`: this machine (`LocalConnection`). It has no settings of its own.
public struct LocalTransport: Transport {
  public init() {}

  public var name: TransportName { "local" }
  public var settingKeys: [String] { [] }

  public func problems(in host: InventoryHost) -> [Diagnostic] { [] }

  public func connect(to host: InventoryHost) throws -> any Connection {
    LocalConnection(settings: host.connection)
  }
}
