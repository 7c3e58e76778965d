import Foundation
import Testing

/// Runs the built `runner` executable as an operator would, and captures what it printed.
struct RunnerProcess {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    var all: String { stdout + stderr }

    /// The lines that say why a run failed (failed tasks, errors, warnings, the recap),
    /// before the whole output: a CI log cut at its head still shows the reason.
    var why: String {
      let telling = all.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
        ["fatal:", "failed:", "FAILED", "ERROR", "error:", "[WARNING]", " : ok="].contains {
          line.contains($0)
        }
      }
      return "status \(status); why:\n" + telling.joined(separator: "\n") + "\n---\n" + all
    }
  }

  static var executable: URL {
    Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("runner")
  }

  static func run(
    _ arguments: [String], environment: [String: String] = [:]
  ) throws -> Result {
    let output = try Spawn.run(executable.path, arguments, environment: environment)
    return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
  }
}

/// A temporary directory for one test, removed at the end.
final class TemporaryDirectory: Sendable {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "runner-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> URL {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  /// A script this process may run while other tests spawn programs. Written here, the
  /// file's descriptor could be inherited by a child another thread is forking, and running
  /// it would then fail with "text file busy" (a flaky test). `install` writes it in its
  /// own process instead.
  @discardableResult
  func writeExecutable(_ name: String, _ text: String) throws -> URL {
    let source = try write(name + ".source", text)
    let file = url.appendingPathComponent(name)
    let result = try Spawn.run("/usr/bin/install", ["-m", "0755", source.path, file.path])
    guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
    return file
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
