public import Engine
public import Foundation
import Synchronization

/// Runs an argv on a host as the connection's user (after `become`), with optional stdin.
/// One call is one round trip: ssh runs one remote program, sudo one local one.
public protocol ArgvChannel: Sendable {
  func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput
  /// Starts an argv that keeps running, its input held open, until it is ended.
  func hold(_ arguments: [String]) throws -> HeldProcess
  /// Counts what ran on the host, each a round trip.
  var counter: RoundTripCounter { get }
}

/// A host reached only by running programs on it (over ssh, or locally through sudo). Files are
/// read and written, and probes answered, by fixed POSIX `sh` scripts that receive every value
/// as a positional parameter, each operation in one round trip.
public struct ScriptedHost<Channel: ArgvChannel>: Sendable {
  public let channel: Channel
  /// The shell holding the host's run lock, once taken: it answers the batches after it.
  private let lockShell = LockShell()

  public init(channel: Channel) { self.channel = channel }

  public func run(_ command: Command) async throws -> CommandOutput {
    try await channel.execute(HostInvocation.arguments(for: command), input: command.input)
  }

  public func read(_ path: HostPath) async throws -> Data? {
    let script = FileReadScript(path: path)
    return try script.interpret(try await channel.execute(script.arguments, input: nil))
  }

  public func write(_ file: FileWrite) async throws {
    let script = FileWriteScript(file: file)
    try script.interpret(try await channel.execute(script.arguments, input: file.contents))
  }

  /// Takes the host's run lock (`HostLockScript`) in a session of its own, which then
  /// answers this host's probe batches (`HeldBatches`).
  public func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock {
    let script = HostLockScript(mode: mode, run: run, timeout: timeout)
    let shell = try await script.take(try channel.hold(script.arguments), busy: busy)
    lockShell.held.withLock { $0 = shell }
    return shell
  }

  public func answer(_ probes: [HostRead]) async throws -> [ReadAnswer] {
    if probes.isEmpty { return [] }
    let script = PrefetchScript(probes: probes)
    // Taken out while it answers: a batch asked meanwhile goes in a session of its own
    // rather than interleave with this one on the shell's input and output.
    if let shell = lockShell.held.withLock({ held in
      defer { held = nil }
      return held
    }) {
      if let output = try await HeldBatches.answer(script, on: shell) {
        lockShell.held.withLock { $0 = shell }
        channel.counter.increment()
        return try script.interpret(output)
      }
    }
    return try script.interpret(try await channel.execute(script.arguments, input: nil))
  }
}

/// The shell holding a host's run lock, shared by the copies of its `ScriptedHost`.
private final class LockShell: Sendable {
  let held = Mutex<HeldProcess?>(nil)
}

/// A fresh random marker for one script run, so the framing of its output cannot be forged
/// by the data it carries (and text a login shell prints first is skipped).
enum Boundary {
  static func make() -> String {
    let high = UInt64.random(in: .min ... .max)
    let low = UInt64.random(in: .min ... .max)
    return "@runner-" + String(high, radix: 16) + String(low, radix: 16)
  }
}
