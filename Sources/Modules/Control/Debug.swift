public import Engine

/// Ansible's `debug`: prints a message (`msg`, any value) or a variable (`var`) on the
/// controller; the host is not touched. The result is always shown, as ansible-playbook
/// shows it, and an undefined `var` prints `VARIABLE IS NOT DEFINED!` instead of failing.
public struct Debug: Module {
  public static let name: ModuleName = "debug"

  public enum Subject: Sendable {
    case message(JSONValue)
    case variable(String)
  }

  public var subject: Subject

  public init(_ subject: Subject) { self.subject = subject }

  enum CodingKeys: String, CodingKey, CaseIterable { case msg, `var`, verbosity }

  public init(from decoder: any Decoder) throws {
    let reader = try ArgumentReader(decoder, keys: CodingKeys.self)
    let message: JSONValue? = reader.optional(.msg)
    let variable: String? = reader.optional(.var)
    let _: Int? = reader.optional(.verbosity)
    if message != nil, variable != nil {
      reader.record(.var, "msg and var are mutually exclusive")
    }
    subject = variable.map(Subject.variable) ?? .message(message ?? "Hello world!")
    try reader.finish()
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    var plan: Plan
    switch subject {
    case .message(let message):
      plan = .unchanged(facts: ["msg": message])
    case .variable(let name):
      let value = try context.value(of: name) ?? "VARIABLE IS NOT DEFINED!"
      plan = .unchanged(facts: [name: value])
    }
    plan.display = .alwaysWithoutChanged
    return plan
  }
}
