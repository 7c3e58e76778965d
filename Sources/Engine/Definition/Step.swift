/// One step (Ansible's task): a name, what it does, and the Ansible keywords around it.
/// Roles build steps in Swift; JSON playbooks decode into the same type.
public struct Step: Sendable {
  public enum Body: Sendable {
    /// Build the module for a host (and loop item), then plan and apply it.
    case module(ModuleRecipe)
    /// `meta:` — an action of the engine itself (`flush_handlers`, `end_play`, …).
    case meta(MetaAction)
    /// A block with its rescue and always parts (also what `import_tasks` becomes).
    case block(Block)
    /// `include_tasks`: a task file run where the step stands.
    case include(TaskInclude)
    /// `import_role` (or `include_role`, `included`): replaced by the role's steps when the
    /// play is compiled for a host.
    case role(RoleInclusion, included: Bool)
  }

  public var name: String
  public var body: Body
  /// Handler names or `listen` topics; may contain `{{ item }}`.
  public var notify: [HandlerID]
  public var when: Condition?
  /// Loop items, computed per host (they may come from variables).
  public var loop: (@Sendable (StepScope) throws -> [JSONValue])?
  public var loopControl = LoopControl()
  public var register: String?
  public var changedWhen: Condition?
  public var failedWhen: Condition?
  /// `ignore_errors`: a constant, or a `{{ }}` expression judged on each host.
  public var ignoreErrors: Condition?
  public var retry: RetryPolicy?
  /// `check_mode:` — true simulates even in a real run; false acts even under `--check`.
  public var checkMode: Bool?
  /// `diff: false` hides this step's diff.
  public var showsDiff = true
  /// `no_log: true` hides the result and diff.
  public var noLog = false
  /// `tags`: the step's own, and once the play is compiled also those of its blocks, role
  /// and play; `--tags`/`--skip-tags` select by them (`TagSelection`).
  public var tags: Set<String> = []
  /// `run_once`: a constant, or a `{{ }}` expression judged on the first host.
  public var runOnce: Condition?
  /// Names the step defines when it runs besides `register` (`set_fact`'s keys), so
  /// validation takes them as defined later.
  public var defines: [String] = []
  /// Names bound for this step above every variable but `-e`: a directory role's entry
  /// `vars` (role parameters), the loop item of an `include_tasks` it came from. Resolved on
  /// the host when the step runs.
  public var boundNames: [String: JSONValue] = [:]
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
      name, body: .module(ModuleRecipe(module)), notify: notify, when: when,
      source: SourceLocation(file: fileID, line: line))
  }

  /// A step running the module `module` builds, notifying a list computed in Swift.
  public init<M: Module>(
    _ name: String, notify: [HandlerID], when: Condition? = nil,
    fileID: String = #fileID, line: Int = #line,
    _ module: @escaping @Sendable () throws -> M
  ) {
    self.init(
      name, body: .module(ModuleRecipe(module)), notify: notify, when: when,
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
      name, body: .module(ModuleRecipe(item: module)), notify: notify, when: when,
      source: SourceLocation(file: fileID, line: line))
    self.loop = { _ in items }
  }

  /// `meta: flush_handlers`.
  public static func flushHandlers(
    _ name: String = "meta: flush_handlers", fileID: String = #fileID, line: Int = #line
  ) -> Step {
    Step(name, body: .meta(.flushHandlers), source: SourceLocation(file: fileID, line: line))
  }

  /// The name shown in banners: `role : name`.
  public var displayName: String {
    role.map { "\($0) : \(name)" } ?? name
  }

  public var moduleName: ModuleName? {
    if case .module(let recipe) = body { return recipe.name }
    return nil
  }
}

/// `loop_control`: how each loop item is named, labelled and counted, and when to stop.
public struct LoopControl: Sendable {
  /// The item's name (`loop_var`), `item` by default.
  public var variable = "item"
  /// A name for the item's 0-based position (`index_var`).
  public var indexVariable: String?
  /// `extended`: `ansible_loop` describes the position (index, first, last, …).
  public var extended = false
  /// `break_when`: stop the loop after an item for which this holds.
  public var breakWhen: Condition?
  /// How an item is shown (`label`), else the item itself.
  public var label: (@Sendable (JSONValue) -> String)?

  public init() {}
}

extension Step {
  /// The steps inside this one: a block's three parts, or an include's file.
  public var nestedSteps: [Step] {
    switch body {
    case .block(let block): block.steps + block.rescue + block.always
    case .include(let include): include.steps
    case .module, .meta, .role: []
    }
  }

  /// This step with `transform` applied to every step directly inside it.
  func mappingNested(_ transform: (Step) -> Step) -> Step {
    var copy = self
    switch body {
    case .block(var block):
      block.steps = block.steps.map(transform)
      block.rescue = block.rescue.map(transform)
      block.always = block.always.map(transform)
      copy.body = .block(block)
    case .include(var include):
      include.steps = include.steps.map(transform)
      copy.body = .include(include)
    case .module, .meta, .role:
      break
    }
    return copy
  }

  /// This step and the steps inside it with `parameters` bound (inner bindings win).
  func binding(_ parameters: [String: JSONValue]) -> Step {
    guard !parameters.isEmpty else { return self }
    var copy = mappingNested { $0.binding(parameters) }
    copy.boundNames = parameters.merging(boundNames) { _, own in own }
    return copy
  }
}

// MARK: - Modifiers, so a role reads top to bottom

extension Step {
  public func registered(as name: String) -> Step { with { $0.register = name } }
  public func changed(when condition: Condition) -> Step { with { $0.changedWhen = condition } }
  public func failed(when condition: Condition) -> Step { with { $0.failedWhen = condition } }
  public func ignoringErrors(_ ignore: Bool = true) -> Step {
    with { $0.ignoreErrors = .always(ignore) }
  }
  public func checkMode(_ value: Bool) -> Step { with { $0.checkMode = value } }
  public func noLog(_ value: Bool = true) -> Step { with { $0.noLog = value } }
  public func diff(_ value: Bool) -> Step { with { $0.showsDiff = value } }
  public func runOnce(_ value: Bool = true) -> Step { with { $0.runOnce = .always(value) } }
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
      $0.loopControl.label = label
    }
  }

  private func with(_ change: (inout Step) -> Void) -> Step {
    var copy = self
    change(&copy)
    return copy
  }
}
