public import Engine

/// Fact: whether an image is in the host's local storage, from `podman image exists`, which
/// answers with its exit status alone: 0 present, 1 absent, anything else an error.
public struct PodmanImagePresence: Fact {
  public var reference: String

  public init(reference: String) { self.reference = reference }

  public var command: Command { ["podman", "image", "exists", "--", reference] }

  public func parse(_ output: CommandOutput) throws -> Bool {
    switch output.exitCode {
    case 0: return true
    case 1: return false
    default: throw CommandFailed(command, output: output)
    }
  }
}
