/// Makes the connection for a host; the CLI supplies the real one, tests a fake.
public protocol ConnectionFactory: Sendable {
  func connection(to host: InventoryHost) async throws -> any Connection
  /// Closes every connection made (ssh control masters).
  func closeAll() async
}
