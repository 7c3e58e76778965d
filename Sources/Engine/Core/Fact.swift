import Foundation

/// Something true on a host right now, read by one command and parsed by a pure function
/// (fixture-tested, no host needed).
public protocol Fact: Sendable {
  associatedtype Value: Sendable
  var command: Command { get }
  func parse(_ output: CommandOutput) throws -> Value
}
