/// A step that runs only when notified, at the next flush point, once per host, in definition
/// order. It answers to its name, `role : name`, and each of its `listen` topics (never
/// templated, as in Ansible). A handler with no name answers to its topics only.
public struct Handler: Sendable {
  public var id: HandlerID?
  public var listen: [HandlerID]
  public var step: Step

  public init(id: HandlerID?, listen: [HandlerID] = [], step: Step) {
    self.id = id
    self.listen = listen
    self.step = step
  }

  /// A handler running the module `module` builds.
  public init<M: Module>(
    _ id: HandlerID, listen: HandlerID..., notify: HandlerID..., fileID: String = #fileID,
    line: Int = #line, _ module: @escaping @Sendable () throws -> M
  ) {
    var step = Step(
      id.rawValue, body: .module(ModuleRecipe(module)),
      source: SourceLocation(file: fileID, line: line))
    step.notify = notify
    self.init(id: id, listen: listen, step: step)
  }

  /// The handler's identity within a play.
  public var identity: HandlerIdentity {
    HandlerIdentity(role: step.role, name: id, definition: step.source)
  }

  /// The names the handler is known by: `name` and `role : name`.
  public var names: [HandlerID] {
    guard let id else { return [] }
    return [id] + (step.role.map { [HandlerID("\($0) : \(id)")] } ?? [])
  }

  /// The listen topics, also qualified by the role.
  public var topics: [HandlerID] {
    listen + listen.compactMap { topic in step.role.map { HandlerID("\($0) : \(topic)") } }
  }
}

/// Builds `[Step]` from a role's body: `if`, `if/else`, `for` are plain Swift.
@resultBuilder
public enum StepBuilder {
  public static func buildExpression(_ step: Step) -> [Step] { [step] }
  public static func buildExpression(_ steps: [Step]) -> [Step] { steps }
  public static func buildBlock(_ parts: [Step]...) -> [Step] { parts.flatMap { $0 } }
  public static func buildOptional(_ part: [Step]?) -> [Step] { part ?? [] }
  public static func buildEither(first part: [Step]) -> [Step] { part }
  public static func buildEither(second part: [Step]) -> [Step] { part }
  public static func buildArray(_ parts: [[Step]]) -> [Step] { parts.flatMap { $0 } }
}

/// Builds `[Handler]` from a role's handler list.
@resultBuilder
public enum HandlerBuilder {
  public static func buildExpression(_ handler: Handler) -> [Handler] { [handler] }
  public static func buildBlock(_ parts: [Handler]...) -> [Handler] { parts.flatMap { $0 } }
  public static func buildOptional(_ part: [Handler]?) -> [Handler] { part ?? [] }
  public static func buildEither(first part: [Handler]) -> [Handler] { part }
  public static func buildEither(second part: [Handler]) -> [Handler] { part }
  public static func buildArray(_ parts: [[Handler]]) -> [Handler] { parts.flatMap { $0 } }
}
