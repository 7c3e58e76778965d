/// What one host runs in one play: its steps per section and its handlers, in definition
/// order, with roles expanded (dependencies first, de-duplicated). Built per host because
/// typed role variables, and so the steps a role yields, can differ between hosts.
public struct HostProgram: Sendable {
  public var preSteps: [Step] = []
  /// Roles' steps, then the play's own `tasks`: one section, one flush (Ansible).
  public var mainSteps: [Step] = []
  public var postSteps: [Step] = []
  /// Role handlers (dependencies first), then the play's handlers.
  public var handlers: [Handler] = []
  /// Values to mask in every output (secret role variables).
  public var secrets: [String] = []
  /// Role instances in run order, for play-wide checks.
  public var roles: [any Role] = []

  public init() {}

  /// The handlers a notification reaches: the handler named so (bare or `role : name`),
  /// plus every handler listening to it, in definition order. A bare name notified from a
  /// role's step means that role's own handler first; otherwise the last one loaded
  /// answers, as in Ansible. (Ansible always takes the last loaded, so a play handler can
  /// shadow a role's own; we do not let it.)
  public func handlers(answering notification: HandlerID, from role: RoleName? = nil) -> [Handler] {
    let own = role.flatMap { role in
      handlers.first { $0.step.role == role && $0.id == notification }
    }
    // Of two handlers with one name the first defined answers (ansible-core 2.19).
    let named = own ?? handlers.first { $0.names.contains(notification) }
    return handlers.filter { handler in
      handler.identity == named?.identity || handler.topics.contains(notification)
    }
  }

  /// The handler whose step this is (flushes align handler steps across hosts).
  public func handler(running step: Step) -> Handler? {
    handlers.first { handler in
      handler.step.source == step.source && handler.step.role == step.role
        && handler.step.name == step.name
    }
  }

  /// Every step of every section, blocks included, for validation.
  public var allSteps: [Step] {
    func flatten(_ steps: [Step]) -> [Step] {
      steps.flatMap { step in [step] + flatten(step.nestedSteps) }
    }
    return flatten(preSteps + mainSteps + postSteps + handlers.map(\.step))
  }
}
