/// A connection that holds something open for the whole run (an ssh master) and is closed
/// when the run ends. Discovered with `as? any ClosingConnection`.
public protocol ClosingConnection: Connection {
  func close() async
}
