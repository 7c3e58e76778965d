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
  static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let output = Pipe()
    // The tool logs to stderr; a file (not a second pipe) cannot fill up and block it.
    let log = FileManager.default.temporaryDirectory.appendingPathComponent(
      "testhost-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      throw ToolFailed(
        arguments: arguments, status: process.terminationStatus,
        output: String(decoding: outData, as: UTF8.self) + errors)
    }
    return String(decoding: outData, as: UTF8.self)
  }
}
