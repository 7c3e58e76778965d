public import Engine
import Synchronization

/// Makes the real connection for each host: `LocalConnection` for `connection: local`,
/// `SSHConnection` for `ssh`. One connection per host is kept and shared by all its steps, so
/// an ssh host has one master for the whole run; `closeAll()` stops them.
public struct StandardConnectionFactory: ConnectionFactory {
  private let cache = ConnectionCache()

  public init() {}

  public func connection(to host: InventoryHost) async throws -> any Connection {
    try cache.connections.withLock { connections in
      if let existing = connections[host.name] { return existing }
      let made: any Connection =
        switch host.connection.kind {
        case .local: LocalConnection(settings: host.connection)
        case .ssh: try SSHConnection(to: host)
        }
      connections[host.name] = made
      return made
    }
  }

  public func closeAll() async {
    let all = cache.connections.withLock { connections in
      defer { connections.removeAll() }
      return Array(connections.values)
    }
    for case let connection as SSHConnection in all {
      await connection.close()
    }
  }
}

/// The connections made so far, by host name.
private final class ConnectionCache: Sendable {
  let connections = Mutex<[String: any Connection]>([:])
}
