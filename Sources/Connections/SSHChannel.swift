public import Engine
public import Foundation
import Synchronization

/// Runs an argv on a host through the system `ssh` client: each argument quoted for the
/// remote shell, `sudo -n` in front when the host uses `become`. Exit status 255 is ssh's
/// own failure (cannot connect, host key rejected), reported as `HostUnreachable`; as in
/// Ansible, a remote program that itself exits 255 cannot be told apart from that.
public struct SSHChannel: ArgvChannel {
  let commandLine: SSHCommandLine
  let become: Become?
  public let counter: RoundTripCounter
  let runner = ProcessRunner()

  public func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
    let remote = RemoteShellQuoting.commandLine(become?.wrap(arguments) ?? arguments)
    counter.increment()
    let output = try await runner.run(commandLine.arguments(running: remote), input: input)
    if output.exitCode == 255 { throw unreachable(output) }
    return output
  }

  public func hold(_ arguments: [String]) throws -> HeldProcess {
    let remote = RemoteShellQuoting.commandLine(become?.wrap(arguments) ?? arguments)
    counter.increment()
    return try HeldProcess(commandLine.arguments(running: remote)) { output in
      output.exitCode == 255 ? unreachable(output) : nil
    }
  }

  /// A message that says what failed and, for host keys, what to do about it.
  private func unreachable(_ output: CommandOutput) -> HostUnreachable {
    let stderr = output.stderr.trimmed
    let target = "\(commandLine.settings.address) (port \(commandLine.settings.port))"
    let keyProblems = [
      "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED",
      "No matching host key", "host key for",
    ]
    if keyProblems.contains(where: stderr.contains) {
      let file = commandLine.settings.knownHostsFile ?? "~/.ssh/known_hosts"
      return HostUnreachable(
        "Failed to connect to the host via ssh: host key verification failed for \(target): "
          + "its key is unknown or has changed. Check the key recorded for it in \(file) "
          + "(or set host_key_checking: false for this host in the inventory).\n\(stderr)")
    }
    return HostUnreachable(
      "Failed to connect to the host via ssh: \(target): "
        + (stderr.isEmpty ? "ssh exited with status 255" : stderr))
  }
}
