public import Engine
import Synchronization

/// Makes the real connection for each host through its transport (`TransportRegistry`). One
/// connection per host is kept and shared by all its steps, so an ssh host has one master
/// for the whole run; `closeAll()` closes those that hold something open
/// (`ClosingConnection`).
public struct StandardConnectionFactory: ConnectionFactory {
  private let transports: TransportRegistry
  private let cache = ConnectionCache()

  public init(transports: TransportRegistry = .standard) {
    self.transports = transports
  }

  public func connection(to host: InventoryHost) async throws -> any Connection {
    try cache.connections.withLock { connections in
      if let existing = connections[host.name] { return existing }
      guard let transport = transports.transport(named: host.connection.transport) else {
        throw UnknownTransport(name: host.connection.transport, known: transports)
      }
      let made = try transport.connect(to: host)
      connections[host.name] = made
      return made
    }
  }

  public func closeAll() async {
    let all = cache.connections.withLock { connections in
      defer { connections.removeAll() }
      return Array(connections.values)
    }
    for case let connection as any ClosingConnection in all {
      await connection.close()
    }
  }
}

/// A host whose transport the factory was not given (an inventory read with other
/// transports than the run's).
struct UnknownTransport: Error, CustomStringConvertible {
  var name: TransportName
  var known: TransportRegistry
  var description: String {
    "no transport '\(name)': runner connects with \(known.namesForMessages)"
  }
}

/// The connections made so far, by host name.
private final class ConnectionCache: Sendable {
  let connections = Mutex<[String: any Connection]>([:])
}
