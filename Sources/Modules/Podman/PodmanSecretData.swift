public import Engine
public import Foundation

/// Fact: the bytes a Podman secret holds, or nil when there is no secret of that name.
/// `podman secret inspect --showsecret` prints them on standard output (never in a command
/// line), followed by the newline its template output adds, which is not part of the data.
public struct PodmanSecretData: Fact {
  public var name: String

  public init(name: String) { self.name = name }

  public var command: Command {
    ["podman", "secret", "inspect", "--showsecret", "--format", "{{.SecretData}}", "--", name]
  }

  public func parse(_ output: CommandOutput) throws -> Data? {
    if output.exitCode == 125, output.stderr.contains("no such secret") { return nil }
    guard output.succeeded else { throw CommandFailed(command, output: output) }
    var data = output.standardOutput
    if data.last == UInt8(ascii: "\n") { data.removeLast() }
    return data
  }
}
