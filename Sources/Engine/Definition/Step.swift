/// One step (Ansible's task): a name, what it does, and the Ansible keywords around it.
/// Roles build steps in Swift; JSON playbooks decode into the same type.
public struct Step: Sendable {
  public enum Body: Sendable {
    /// Build the module for a host (and loop item), then plan and apply it.
    case module(ModuleName, @Sendable (StepScope) throws -> any Module)
    /// Run every notified handler now (`meta: flush_handlers`).
    case flushHandlers
    /// A block with its rescue and always parts.
    case block(Block)
  }

  public var name: String
  public var body: Body
  /// Handler names or `listen` topics; may contain `{{ item }}`.
  public var notify: [HandlerID]
  public var when: Condition?
  /// Loop items, computed per host (they may come from variables).
  public var loop: (@Sendable (StepScope) throws -> [JSONValue])?
  public var loopLabel: (@Sendable (JSONValue) -> String)?
  public var register: String?
  public var changedWhen: Condition?
  public var failedWhen: Condition?
  public var ignoreErrors = false
  public var retry: RetryPolicy?
  /// `check_mode:` — true simulates even in a real run; false acts even under `--check`.
  public var checkMode: Bool?
  /// `diff: false` hides this step's diff.
  public var showsDiff = true
  /// `no_log: true` hides the result and diff.
  public var noLog = false
  public var runOnce = false
  public var source: SourceLocation
  /// The role that defined the step, set when the play is compiled.
  public var role: RoleName?

  public init(
    _ name: String, body: Body, notify: [HandlerID] = [], when: Condition? = nil,
    source: SourceLocation
  ) {
    self.name = name
    self.body = body
    self.notify = notify
    self.when = when
    self.source = source
  }

  /// A step running the module `module` builds.
  public init<M: Module>(
    _ name: String, notify: HandlerID..., when: Condition? = nil,
    fileID: String = #fileID, line: Int = #line,
    _ module: @escaping @Sendable () throws -> M
  ) {
    self.init(
      name, body: .module(M.name, { _ in try module() }), notify: notify, when: when,
      source: SourceLocation(file: fileID, line: line))
  }

  /// A step running the module `module` builds, notifying a list computed in Swift.
  public init<M: Module>(
    _ name: String, notify: [HandlerID], when: Condition? = nil,
    fileID: String = #fileID, line: Int = #line,
    _ module: @escaping @Sendable () throws -> M
  ) {
    self.init(
      name, body: .module(M.name, { _ in try module() }), notify: notify, when: when,
      source: SourceLocation(file: fileID, line: line))
  }

  /// A step running a module once per loop item (`loop:`); handlers fire once however many
  /// items changed.
  public init<M: Module>(
    _ name: String, loop items: [JSONValue], notify: HandlerID..., when: Condition? = nil,
    fileID: String = #fileID, line: Int = #line,
    _ module: @escaping @Sendable (JSONValue) throws -> M
  ) {
    self.init(
      name, body: .module(M.name, { scope in try module(scope.item ?? .null) }), notify: notify,
      when: when, source: SourceLocation(file: fileID, line: line))
    self.loop = { _ in items }
  }

  /// `meta: flush_handlers`.
  public static func flushHandlers(
    _ name: String = "meta: flush_handlers", fileID: String = #fileID, line: Int = #line
  ) -> Step {
    Step(name, body: .flushHandlers, source: SourceLocation(file: fileID, line: line))
  }

  /// The name shown in banners: `role : name`.
  public var displayName: String {
    role.map { "\($0) : \(name)" } ?? name
  }

  public var moduleName: ModuleName? {
    if case .module(let name, _) = body { return name }
    return nil
  }
}

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

// MARK: - Modifiers, so a role reads top to bottom

extension Step {
  public func registered(as name: String) -> Step { with { $0.register = name } }
  public func changed(when condition: Condition) -> Step { with { $0.changedWhen = condition } }
  public func failed(when condition: Condition) -> Step { with { $0.failedWhen = condition } }
  public func ignoringErrors(_ ignore: Bool = true) -> Step { with { $0.ignoreErrors = ignore } }
  public func checkMode(_ value: Bool) -> Step { with { $0.checkMode = value } }
  public func noLog(_ value: Bool = true) -> Step { with { $0.noLog = value } }
  public func diff(_ value: Bool) -> Step { with { $0.showsDiff = value } }
  public func runOnce(_ value: Bool = true) -> Step { with { $0.runOnce = value } }
  public func retrying(until condition: Condition, retries: Int = 3, delay: Double = 5) -> Step {
    with { $0.retry = RetryPolicy(until: condition, retries: retries, delaySeconds: delay) }
  }
  public func when(_ condition: Condition) -> Step { with { $0.when = condition } }
  public func looping(
    label: (@Sendable (JSONValue) -> String)? = nil,
    over items: @escaping @Sendable (StepScope) throws -> [JSONValue]
  ) -> Step {
    with {
      $0.loop = items
      $0.loopLabel = label
    }
  }

  private func with(_ change: (inout Step) -> Void) -> Step {
    var copy = self
    change(&copy)
    return copy
  }
}
