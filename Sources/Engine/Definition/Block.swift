/// A block: steps, then `rescue` on failure, then `always`.
public struct Block: Sendable {
  public var steps: [Step]
  public var rescue: [Step]
  public var always: [Step]

  public init(steps: [Step], rescue: [Step] = [], always: [Step] = []) {
    self.steps = steps
    self.rescue = rescue
    self.always = always
  }
}
