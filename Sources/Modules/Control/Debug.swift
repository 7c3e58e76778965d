public import Engine

/// Ansible's `debug`: prints a message (`msg`, any value) or a variable (`var`) on the
/// controller; the host is not touched. The result is always shown, as ansible-playbook
/// shows it, and an undefined `var` prints ansible-core 2.19's `<< error 1 - 'name' is undefined >>`
/// instead of failing.
public struct Debug: PlaybookModule {
  public static let name: ModuleName = "debug"

  public enum Subject: Sendable {
    case message(JSONValue)
    case variable(String)
  }

  public var subject: Subject
  /// `verbosity`: shown only from this many `-v` on; below, the step is skipped.
  public var verbosity: Int

  public init(_ subject: Subject, verbosity: Int = 0) {
    self.subject = subject
    self.verbosity = verbosity
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case msg, `var`, verbosity }

  public init(from decoder: any Decoder) throws {
    let reader = try ArgumentReader(decoder, keys: CodingKeys.self)
    let message: JSONValue? = reader.optional(.msg)
    let variable: String? = reader.optional(.var)
    verbosity = reader.optional(.verbosity, default: 0)
    if message != nil, variable != nil {
      reader.record(.var, "msg and var are mutually exclusive")
    }
    subject = variable.map(Subject.variable) ?? .message(message ?? "Hello world!")
    try reader.finish()
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    guard verbosity <= context.verbosity else {
      var skipped = Plan.unchanged()
      skipped.skipReason = "Verbosity threshold not met."
      return skipped
    }
    var plan: Plan
    switch subject {
    case .message(let message):
      plan = .unchanged(values: ["msg": message])
    case .variable(let name):
      // ansible-core 2.19's words for an undefined variable (older ones said
      // "VARIABLE IS NOT DEFINED!"); the name is the first part that is undefined
      let undefined = name.split(separator: ".").first.map(String.init) ?? name
      let value =
        try context.value(of: name) ?? .string("<< error 1 - '\(undefined)' is undefined >>")
      plan = .unchanged(values: [name: value])
    }
    plan.display = .alwaysWithoutChanged
    return plan
  }
}
