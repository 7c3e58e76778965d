/// A value or key that cannot go into a Quadlet file, with the section and key it belongs to.
public struct QuadletProblem: Sendable, Hashable, CustomStringConvertible {
  public var section: String
  public var key: String
  public var message: String

  public init(section: String, key: String, message: String) {
    self.section = section
    self.key = key
    self.message = message
  }

  public var description: String { "[\(section)] \(key): \(message)" }
}

/// Every problem of a unit, thrown at once when it is rendered.
public struct QuadletProblems: Error, Sendable, CustomStringConvertible {
  public var problems: [QuadletProblem]

  public init(_ problems: [QuadletProblem]) { self.problems = problems }

  public var description: String { problems.map(\.description).joined(separator: "; ") }
}
