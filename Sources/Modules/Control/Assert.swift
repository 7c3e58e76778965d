public import Engine

/// Ansible's `assert`: every expression of `that` must hold; the first that does not fails
/// the step with `fail_msg` (or `msg`), naming the assertion. Evaluated on the controller.
public struct Assert: PlaybookModule {
  public static let name: ModuleName = "assert"

  public var assertions: [String]
  public var failureMessage: String
  public var successMessage: String
  /// `quiet`: the success result is not printed.
  public var quiet: Bool

  enum CodingKeys: String, CodingKey, CaseIterable {
    case that, failMessage = "fail_msg", msg, successMessage = "success_msg", quiet
  }

  public init(from decoder: any Decoder) throws {
    let reader = try ArgumentReader(decoder, keys: CodingKeys.self)
    let that: JSONValue? = reader.required(.that)
    switch that {
    case .string(let text)?: assertions = [text]
    case .array(let items)?:
      assertions = items.compactMap { item in
        if case .string(let text) = item { return text }
        if case .bool(let flag) = item { return flag ? "True" : "False" }
        reader.record(
          .that, "each assertion must be an expression string, found \(item.typePhrase)")
        return nil
      }
    case .bool(let flag)?: assertions = [flag ? "True" : "False"]
    case let other?:
      reader.record(.that, "expected an expression or a list of them, found \(other.typePhrase)")
      assertions = []
    case nil: assertions = []
    }
    let failure = (reader.optional(.failMessage) as CoercedString?)?.text
    let legacy = (reader.optional(.msg) as CoercedString?)?.text
    failureMessage = failure ?? legacy ?? "Assertion failed"
    successMessage =
      (reader.optional(.successMessage) as CoercedString?)?.text ?? "All assertions passed"
    quiet = reader.optional(.quiet, default: false)
    try reader.finish()
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    for assertion in assertions {
      var plan: Plan
      do {
        guard try !context.isTrue(assertion) else { continue }
        plan = .failing(
          failureMessage,
          values: ["assertion": .string(assertion), "evaluated_to": false])
      } catch {
        plan = .failing(
          "The conditional check '\(assertion)' failed. The error was: \(error)",
          values: ["assertion": .string(assertion)])
      }
      plan.display = .always
      return plan
    }
    var plan = Plan.unchanged(values: ["msg": .string(successMessage)])
    plan.display = quiet ? .onVerbose : .always
    return plan
  }
}
