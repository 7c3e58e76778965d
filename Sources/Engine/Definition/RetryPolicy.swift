import Foundation

/// How a step retries: `until` holds, or `retries` more attempts are spent, `delay` apart.
public struct RetryPolicy: Sendable {
  public var until: Condition
  public var retries: Int
  public var delaySeconds: Double

  public init(until: Condition, retries: Int = 3, delaySeconds: Double = 5) {
    self.until = until
    self.retries = retries
    self.delaySeconds = delaySeconds
  }
}
