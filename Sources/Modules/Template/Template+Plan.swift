public import Engine
import Foundation

extension Template {
  public func plan(in context: PlanContext) async throws -> Plan {
    let file = file(content: Data(try render(in: context).utf8))
    var values = file.resultValues
    if case .source(let source) = body { values["src"] = .string(source) }
    return try await file.plan(in: context, reporting: values)
  }

  private func render(in context: PlanContext) throws -> String {
    switch body {
    case .contents(let text): text
    case .source(let source): try context.renderTemplate(source)
    }
  }
}
