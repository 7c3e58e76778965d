import Connections
import Engine
import Foundation
import Modules
import Roles

/// The real connection to the recorded host, kept so its recording can be read afterwards.
actor RecordingFactory: ConnectionFactory {
  let host: String
  private let standard = StandardConnectionFactory()
  private var made: RecordingConnection?

  init(host: String) { self.host = host }

  func connection(to host: InventoryHost) async throws -> any Connection {
    let connection = RecordingConnection(try await standard.connection(to: host))
    made = connection
    return connection
  }

  func closeAll() async { await standard.closeAll() }

  func recording() throws -> Recording {
    guard let made else { throw ModuleError("\(host) was never connected to") }
    return made.recorded
  }
}
