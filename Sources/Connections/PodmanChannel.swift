public import Engine
public import Foundation

/// Runs an argv in a running container through `podman exec` on this machine (as Ansible's
/// `containers.podman.podman` connection does): the argv is passed as argv, never through
/// a shell; `sudo -n` in front inside the container when the host uses `become`. Exit status
/// 125 is podman's own failure (no such container, not running), reported as
/// `HostUnreachable`.
public struct PodmanChannel: ArgvChannel {
  let settings: PodmanSettings
  let become: Become?
  public let counter: RoundTripCounter
  let runner = ProcessRunner()

  public func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
    counter.increment()
    let output = try await runner.run(podmanArguments(arguments), input: input)
    if output.exitCode == Self.podmanFailed { throw unreachable(output) }
    return output
  }

  public func hold(_ arguments: [String]) throws -> HeldProcess {
    counter.increment()
    return try HeldProcess(podmanArguments(arguments)) { output in
      output.exitCode == Self.podmanFailed ? unreachable(output) : nil
    }
  }

  /// `podman exec`'s status for an error of podman's own rather than the command's.
  static let podmanFailed: Int32 = 125

  /// `podman exec -i [--user U] CONTAINER [sudo -n …] ARGV`.
  func podmanArguments(_ arguments: [String]) -> [String] {
    var argv = [settings.executable, "exec", "-i"]
    if let user = settings.user { argv += ["--user", user] }
    return argv + [settings.container] + (become?.wrap(arguments) ?? arguments)
  }

  private func unreachable(_ output: CommandOutput) -> HostUnreachable {
    let stderr = output.stderr.trimmed
    return HostUnreachable(
      "Failed to reach the container via podman: \(settings.container): "
        + (stderr.isEmpty ? "podman exited with status 125" : stderr))
  }
}
