import Foundation
import Synchronization

/// The run locks this run holds, one per host, taken before the host's first step and kept
/// to the end of the run (`HostLocking`): a second run on the host waits, saying so every
/// `LongWait.interval`, or fails the host after `timeout` seconds. `--check` takes them shared.
final class HostLocks: Sendable {
  private let mode: HostLockMode
  private let timeout: Int
  /// Tells the host's other inventory names in this run apart from another run.
  private let run = UUID().uuidString
  private let held = Mutex<[String: any HeldHostLock]>([:])

  init(options: RunOptions) {
    mode = options.checkMode ? .shared : .exclusive
    timeout = options.lockTimeout
  }

  /// Locks every host of `connections` not locked yet, all at once; returns the connections
  /// to use: a host whose lock could not be taken gets one that fails its first step with why.
  func lock(
    _ connections: [(host: String, connection: any Connection)], reportingTo sink: any EventSink
  ) async -> [String: any Connection] {
    await withTaskGroup(of: (String, any Connection).self) { group in
      for (host, connection) in connections {
        group.addTask { (host, await self.lock(host, connection, sink)) }
      }
      var usable: [String: any Connection] = [:]
      for await (host, connection) in group { usable[host] = connection }
      return usable
    }
  }

  private func lock(
    _ host: String, _ connection: any Connection, _ sink: any EventSink
  ) async -> any Connection {
    guard let locking = connection as? any HostLocking,
      held.withLock({ $0[host] }) == nil
    else { return connection }
    let reporter = Mutex<Task<Void, Never>?>(nil)
    defer { reporter.withLock { $0?.cancel() } }
    let started = ContinuousClock.now
    do {
      let lock = try await locking.lock(mode, run: run, timeout: timeout) {
        let task = Task {
          var seconds = 0
          while !Task.isCancelled {
            await sink.record(.waitingForLock(host: host, seconds: seconds))
            try? await Task.sleep(for: .seconds(LongWait.interval))
            seconds += LongWait.interval
          }
        }
        reporter.withLock { $0 = task }
      }
      held.withLock { $0[host] = lock }
      if reporter.withLock({ $0 != nil }) {
        // The wait's status line is gone once the lock is taken; -v keeps a line of it.
        let seconds = (ContinuousClock.now - started).components.seconds
        await sink.record(
          .detail(
            host: host, message: "waited \(seconds) s for the run lock another run held",
            verbosity: 1))
      }
      return connection
    } catch let error as HostUnreachable {
      return UnreachableConnection(reason: error.message)
    } catch {
      return LockedOutConnection(error: HostNotLocked(message: "\(error)"))
    }
  }

  /// Releases every lock (the end of the run).
  func releaseAll() async {
    let all = held.withLock { held in
      defer { held.removeAll() }
      return Array(held.values)
    }
    for lock in all { await lock.release() }
  }
}

/// A host whose run lock could not be taken (another run holds it): its first step fails
/// with why, and nothing is read or run on it.
struct LockedOutConnection: Connection {
  let error: HostNotLocked
  func run(_ command: Command) async throws -> CommandOutput { throw error }
  func read(_ path: HostPath) async throws -> Data? { throw error }
  func write(_ file: FileWrite) async throws { throw error }
}

/// Why a host's run lock could not be taken, as its first step reports it.
struct HostNotLocked: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
