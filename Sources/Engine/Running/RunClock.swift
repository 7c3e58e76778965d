public import Foundation

/// Time, injected so tests of `retries`/`delay` do not sleep.
public protocol RunClock: Sendable {
  func sleep(seconds: Double) async
  func now() -> Date
}

/// The real clock.
public struct SystemClock: RunClock {
  public init() {}
  public func sleep(seconds: Double) async {
    guard seconds > 0 else { return }
    try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
  }
  public func now() -> Date { Date() }
}
