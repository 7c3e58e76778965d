public import Foundation
import Synchronization

/// What planning read from one host since its last change. Planning the same file or fact twice
/// costs no second round trip; any change on the host empties the cache, so a plan never
/// reads a stale answer. The engine may also fill it by prefetching (`Prefetcher`).
public final class ReadCache: Sendable {
  private struct State {
    var outputs: [Command: CommandOutput] = [:]
    var files: [HostPath: Data?] = [:]
  }

  private let state = Mutex(State())

  public init() {}

  public func output(of command: Command) -> CommandOutput? {
    state.withLock { $0.outputs[command] }
  }

  /// `.some(nil)` means "known to be absent".
  public func contents(of path: HostPath) -> Data?? {
    state.withLock { $0.files[path] }
  }

  public func store(_ output: CommandOutput, for command: Command) {
    state.withLock { $0.outputs[command] = output }
  }

  public func store(_ data: Data?, for path: HostPath) {
    state.withLock { $0.files[path] = .some(data) }
  }

  /// Forgets everything: the host changed.
  public func invalidate() {
    state.withLock { $0 = State() }
  }
}
