import Engine
import Foundation
import Synchronization
import Testing

/// A strict in-memory host for unit tests: files in a dictionary, commands answered from a
/// script. Every mutation is recorded; an unexpected command is a test issue, not a silent
/// success.
final class FakeHost: Connection {
  struct File: Equatable {
    var contents: Data
    var mode: FileMode?
  }

  enum Mutation: Equatable {
    case ran([String])
    case wrote(String)
  }

  typealias Responder = @Sendable (Command) -> CommandOutput?

  private struct State {
    var files: [HostPath: File] = [:]
    var responders: [Responder] = []
    var commands: [[String]] = []
    var mutations: [Mutation] = []
    var reads = 0
    var readPaths: [HostPath] = []
    var unreachable = false
  }

  private let state = Mutex(State())
  let name: String
  /// Commands that only read (facts); anything else counts as a mutation.
  let readOnlyPrefixes: [[String]]

  init(name: String = "h1", readOnlyPrefixes: [[String]] = [["systemctl", "show"], ["stat"]]) {
    self.name = name
    self.readOnlyPrefixes = readOnlyPrefixes
  }

  // MARK: Scripting

  func put(_ path: HostPath, _ text: String, mode: FileMode? = 0o644) {
    state.withLock { $0.files[path] = File(contents: Data(text.utf8), mode: mode) }
  }

  func file(_ path: HostPath) -> File? { state.withLock { $0.files[path] } }

  func remove(_ path: HostPath) { state.withLock { _ = $0.files.removeValue(forKey: path) } }

  func text(_ path: HostPath) -> String? {
    file(path).map { String(decoding: $0.contents, as: UTF8.self) }
  }

  /// Answers commands whose argv starts with `prefix`.
  func respond(
    to prefix: [String], exitCode: Int32 = 0, stdout: String = "", stderr: String = ""
  ) {
    respond { command in
      command.arguments.starts(with: prefix)
        ? CommandOutput(exitCode: exitCode, stdout: stdout, stderr: stderr) : nil
    }
  }

  func respond(_ responder: @escaping Responder) {
    state.withLock { $0.responders.insert(responder, at: 0) }
  }

  func setUnreachable(_ value: Bool) { state.withLock { $0.unreachable = value } }

  var commands: [[String]] { state.withLock { $0.commands } }
  var mutations: [Mutation] { state.withLock { $0.mutations } }
  var reads: Int { state.withLock { $0.reads } }
  /// The files read, in order.
  var readPaths: [HostPath] { state.withLock { $0.readPaths } }

  // MARK: Connection

  func run(_ command: Command) async throws -> CommandOutput {
    let (responders, unreachable) = state.withLock { state in
      state.commands.append(command.arguments)
      let readOnly = readOnlyPrefixes.contains { command.arguments.starts(with: $0) }
      if !readOnly { state.mutations.append(.ran(command.arguments)) }
      return (state.responders, state.unreachable)
    }
    if unreachable { throw HostUnreachable("Failed to connect to the host via ssh: \(name)") }
    for responder in responders {
      if let output = responder(command) { return output }
    }
    Issue.record("unexpected command on \(name): \(command)")
    return CommandOutput(exitCode: 127, stdout: "", stderr: "unexpected command")
  }

  func read(_ path: HostPath) async throws -> Data? {
    try state.withLock { state in
      if state.unreachable {
        throw HostUnreachable("Failed to connect to the host via ssh: \(name)")
      }
      state.reads += 1
      state.readPaths.append(path)
      return state.files[path]?.contents
    }
  }

  func write(_ file: FileWrite) async throws {
    try state.withLock { state in
      if state.unreachable {
        throw HostUnreachable("Failed to connect to the host via ssh: \(name)")
      }
      state.mutations.append(.wrote(file.path.rawValue))
      state.files[file.path] = File(contents: file.contents, mode: file.mode)
    }
  }
}
