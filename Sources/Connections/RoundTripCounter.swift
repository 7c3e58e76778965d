import Synchronization

/// Counts round trips (programs run on the host), for `-v` and the JSON output.
public final class RoundTripCounter: Sendable {
  private let count = Atomic<Int>(0)

  public init() {}

  public func increment() { count.add(1, ordering: .relaxed) }
  public var value: Int { count.load(ordering: .relaxed) }
}
