public import Foundation

/// The transport to one host: local, ssh, or a fake in tests. Modules never see a connection;
/// only the engine writes through it, so check mode cannot change a host by construction.
public protocol Connection: Sendable {
  /// Runs a command (argv, no shell). A non-zero exit is an output, not an error; an error
  /// means the host could not be reached or the program could not be started.
  func run(_ command: Command) async throws -> CommandOutput
  /// The file's bytes, or nil when the path does not exist.
  func read(_ path: HostPath) async throws -> Data?
  /// Writes a file atomically: a temp file in the target directory, created with its final
  /// mode, optionally validated, then renamed over the destination. Never a partial file.
  func write(_ file: FileWrite) async throws
}

/// One atomic file write, as a `Connection` carries it out.
public struct FileWrite: Sendable, Hashable {
  public var path: HostPath
  public var contents: Data
  public var mode: FileMode?
  public var owner: String?
  public var group: String?
  /// Run on the temp file before the rename; `%s` in an argument is the temp file's path.
  public var validate: Command?
  /// Where the old file is copied (`cp -p --backup=numbered`) once validation passed, just
  /// before the rename: a rejected file leaves no backup behind.
  public var backup: HostPath?

  public init(
    _ contents: Data, to path: HostPath, mode: FileMode? = nil, owner: String? = nil,
    group: String? = nil, validate: Command? = nil, backup: HostPath? = nil
  ) {
    self.backup = backup
    self.path = path
    self.contents = contents
    self.mode = mode
    self.owner = owner
    self.group = group
    self.validate = validate
  }
}

/// The host could not be reached (ssh failed to connect, the connection dropped).
public struct HostUnreachable: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A command exited with a status the step did not accept.
public struct CommandFailed: Error, Sendable, CustomStringConvertible {
  public var command: Command
  public var output: CommandOutput
  /// What the change's diagnosis command printed about the failure, if it has one.
  public var diagnosis: String?

  public init(_ command: Command, output: CommandOutput, diagnosis: String? = nil) {
    self.command = command
    self.output = output
    self.diagnosis = diagnosis
  }

  public var description: String {
    var text = "command '\(command)' exited with status \(output.exitCode)"
    let stderr = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    if !stderr.isEmpty { text += ": " + String(stderr.suffix(2000)) }
    let diagnosis = (diagnosis ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if !diagnosis.isEmpty { text += "\n" + String(diagnosis.suffix(12_000)) }
    return text
  }
}

/// A module-level problem ("unit 'x.service' not found"), with an optional way out.
public struct ModuleError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  public var description: String {
    hint.map { "\(message) (hint: \($0))" } ?? message
  }
}
