import Foundation

/// A condition on a step (`when`, `changed_when`, `failed_when`, `until`): Swift code in roles,
/// an expression in JSON playbooks. `text` is what output shows as the false condition.
public struct Condition: Sendable {
  public var text: String
  private let evaluate: @Sendable (StepScope) throws -> Bool

  public init(
    _ text: String = "<swift condition>", _ evaluate: @escaping @Sendable (StepScope) throws -> Bool
  ) {
    self.text = text
    self.evaluate = evaluate
  }

  /// A constant, as JSON `"changed_when": false` writes it.
  public static func always(_ value: Bool) -> Condition {
    Condition(value ? "True" : "False") { _ in value }
  }

  public func holds(in scope: StepScope) throws -> Bool { try evaluate(scope) }
}

extension Condition {
  /// A condition from its Jinja text, as `when:` takes it; a whole `{{ … }}` is unwrapped.
  public static func parsing(_ text: String) throws -> Condition {
    var body = text.trimmingCharacters(in: .whitespaces)
    if body.hasPrefix("{{") && body.hasSuffix("}}") {
      body = String(body.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
    }
    return try Expression(body).condition()
  }
}
