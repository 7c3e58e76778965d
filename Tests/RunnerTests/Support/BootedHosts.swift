import Connections
import Engine
import Foundation
import Testing

/// Real test hosts (Debian trixie, systemd as PID 1, podman, haproxy, sshd) booted by
/// `scripts/testhost`. Tests that need one carry `.enabled(if: BootedHosts.available)`, so a
/// machine without root or without the tooling skips them with a reason instead of passing.
enum BootedHosts {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let tool = repository.appendingPathComponent("scripts/testhost/testhost").path

  /// `scripts/test` sets RUNNER_TESTHOST=1 after building the root file system.
  static var available: Bool {
    ProcessInfo.processInfo.environment["RUNNER_TESTHOST"] == "1" && getuid() == 0
  }

  /// Boots the hosts (a no-op when running) and returns an inventory reaching them over ssh
  /// with strict host key checking.
  static func up(_ names: [String]) throws -> Inventory {
    try run(["up"] + names)
    let json = try run(["inventory"] + names)
    return try InventoryLoader.load(Data(json.utf8), file: "testhost-inventory.json")
  }

  /// Runs a command inside a host (as root, no shell) and returns its stdout.
  @discardableResult
  static func exec(_ host: String, _ arguments: [String]) throws -> String {
    try run(["exec", host] + arguments)
  }

  static func clean(_ names: [String]) {
    _ = try? run(["clean"] + names)
  }

  struct ToolFailed: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var output: String
    var description: String {
      "testhost \(arguments.joined(separator: " ")) exited \(status): \(output)"
    }
  }

  @discardableResult
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let output = try Spawn.run(tool, arguments, environment: environment)
    guard output.status == 0 else {
      throw ToolFailed(
        arguments: arguments, status: output.status, output: output.stdout + output.stderr)
    }
    return output.stdout
  }
}
