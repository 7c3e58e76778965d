public import Engine
public import Foundation

/// A running container on this machine, reached with `podman exec`. Every read, write,
/// command and batch of probes is one `podman exec` (one round trip), through the same fixed
/// scripts ssh hosts use (`ScriptedHost`), so the container needs only a POSIX `sh`.
public struct PodmanConnection: Connection, PrefetchingConnection, RoundTripCounting, HostLocking {
  private let host: ScriptedHost<PodmanChannel>

  public init(to inventoryHost: InventoryHost) {
    host = ScriptedHost(
      channel: PodmanChannel(
        settings: PodmanSettings.read(inventoryHost).settings,
        become: Become(inventoryHost.connection), counter: RoundTripCounter()))
  }

  /// How many programs ran in the container (each one `podman exec`).
  public var roundTrips: Int { host.channel.counter.value }

  public func run(_ command: Command) async throws -> CommandOutput {
    try await host.run(command)
  }

  public func read(_ path: HostPath) async throws -> Data? {
    try await host.read(path)
  }

  public func write(_ file: FileWrite) async throws {
    try await host.write(file)
  }

  public func answer(_ probes: [HostRead]) async throws -> [ReadAnswer] {
    try await host.answer(probes)
  }

  public func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock {
    try await host.lock(mode, run: run, timeout: timeout, busy: busy)
  }

  /// Every read is a `podman exec`: one batch after a change beats the next steps' reads.
  public var prefetchesAgainAfterChanges: Bool { true }
}
