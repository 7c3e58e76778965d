import Foundation
import Synchronization

/// What a held process prints, kept as it arrives so its reader can take it piece by piece:
/// lines while the run lock is being taken, then replies framed by a marker. One reader at a
/// time; the thread reading the pipe appends.
final class HeldOutput: Sendable {
  private struct State {
    var data = Data()
    var ended = false
    /// Bumped on every append, so a reader that found nothing knows whether to wait.
    var generation = 0
    var waiter: CheckedContinuation<Void, Never>?
  }
  private let state = Mutex(State())

  func append(_ chunk: Data) {
    update { $0.data.append(chunk) }
  }

  /// Everything not taken yet.
  var received: Data { state.withLock { $0.data } }

  /// The process closed its output: readers waiting for more get nil.
  func end() {
    update { $0.ended = true }
  }

  private func update(_ change: (inout State) -> Void) {
    let waiter = state.withLock { state in
      change(&state)
      state.generation += 1
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume()
  }

  /// The next line, without its newline; nil once the output ended.
  func line() async -> String? {
    await take { data in
      guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
      defer { data.removeSubrange(data.startIndex...newline) }
      return String(decoding: data[data.startIndex..<newline], as: UTF8.self)
    }
  }

  /// The bytes before `marker` and the rest of the marker's line, both removed; nil once
  /// the output ended without it.
  func reply(endingWith marker: Data) async -> (body: Data, trailer: String)? {
    await take { data in
      guard let found = data.range(of: marker),
        let newline = data[found.upperBound...].firstIndex(of: UInt8(ascii: "\n"))
      else { return nil }
      defer { data.removeSubrange(data.startIndex...newline) }
      return (
        Data(data[data.startIndex..<found.lowerBound]),
        String(decoding: data[found.upperBound..<newline], as: UTF8.self)
      )
    }
  }

  /// Waits until `found` can take what it needs from the bytes so far.
  private func take<Value: Sendable>(_ found: (inout Data) -> Value?) async -> Value? {
    while true {
      let (value, seen, ended) = state.withLock { state in
        (found(&state.data), state.generation, state.ended)
      }
      if let value { return value }
      if ended { return nil }
      await withCheckedContinuation { continuation in
        let current = state.withLock { state in
          if state.generation != seen { return true }
          state.waiter = continuation
          return false
        }
        if current { continuation.resume() }
      }
    }
  }
}
