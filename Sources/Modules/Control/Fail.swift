public import Engine

/// Ansible's `fail`: fails the step with `msg`, on the controller.
public struct Fail: PlaybookModule {
  public static let name: ModuleName = "fail"

  public var message: String

  public init(_ message: String = "Failed as requested from task") { self.message = message }

  enum CodingKeys: String, CodingKey, CaseIterable { case msg }

  public init(from decoder: any Decoder) throws {
    let reader = try ArgumentReader(decoder, keys: CodingKeys.self)
    message = (reader.optional(.msg) as CoercedString?)?.text ?? "Failed as requested from task"
    try reader.finish()
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    .failing(message)
  }
}
