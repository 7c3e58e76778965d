import Foundation

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
