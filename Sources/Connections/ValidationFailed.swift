public import Engine

/// A file's `validate` command rejected the new content; the destination was left untouched.
/// Ansible's words: "failed to validate", with the validator's status and output.
public struct ValidationFailed: Error, Sendable, CustomStringConvertible {
  /// The validator as configured (`%s` not yet replaced by the temp file's path).
  public var command: Command
  public var output: CommandOutput
  public var path: HostPath

  public init(command: Command, output: CommandOutput, path: HostPath) {
    self.command = command
    self.output = output
    self.path = path
  }

  public var description: String {
    var text = "failed to validate \(path): '\(command)' exited with status \(output.exitCode)"
    for (name, stream) in [("stdout", output.stdout.trimmed), ("stderr", output.stderr.trimmed)]
    where !stream.isEmpty {
      text += "\n\(name): " + String(stream.suffix(2000))
    }
    return text
  }
}
