public import Engine
public import Foundation

/// A connection whose host is reached only by running programs on it (`ScriptedHost`): it
/// gives its host, and reads, writes, commands, probe batches, the run lock and the round-trip
/// count come from here, so a transport writes its `ArgvChannel` and nothing else.
public protocol ScriptedConnection: PrefetchingConnection, HostLocking, RoundTripCounting {
  associatedtype Channel: ArgvChannel
  var scriptedHost: ScriptedHost<Channel> { get }
}

extension ScriptedConnection {
  public func run(_ command: Command) async throws -> CommandOutput {
    try await scriptedHost.run(command)
  }

  public func read(_ path: HostPath) async throws -> Data? {
    try await scriptedHost.read(path)
  }

  public func write(_ file: FileWrite) async throws {
    try await scriptedHost.write(file)
  }

  public func answer(_ probes: [HostRead]) async throws -> [ReadAnswer] {
    try await scriptedHost.answer(probes)
  }

  public func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock {
    try await scriptedHost.lock(mode, run: run, timeout: timeout, busy: busy)
  }

  /// How many programs ran on the host.
  public var roundTrips: Int { scriptedHost.channel.counter.value }

  /// Every read is a program run: one batch after a change beats the next steps' reads.
  public var prefetchesAgainAfterChanges: Bool { true }
}
