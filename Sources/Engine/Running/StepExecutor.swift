import Foundation

/// Runs one step on one host: `when`, the loop, attempts with `until`, planning and applying,
/// `changed_when`/`failed_when`, then which handlers to notify. Pure of reporting: it returns
/// the events to emit so the runner can print hosts in inventory order.
struct StepExecutor: Sendable {
  let options: RunOptions
  let clock: any RunClock
  /// Events that cannot wait for the step to end (a long wait), sent as they happen.
  var live: (@Sendable (Event) async -> Void)? = nil

  struct Outcome: Sendable {
    var result: StepResult
    var notifications: [HandlerID] = []
    var events: [Event] = []
    /// Handlers written to the host's pending-handler record before a change was applied.
    var recorded: [HandlerIdentity] = []
  }

  func execute(
    _ step: Step, info: StepInfo, on runtime: HostRuntime, magic: [String: JSONValue] = [:]
  ) async -> Outcome {
    let checkMode = step.checkMode ?? options.checkMode
    let scope = StepScope(
      for: step, host: runtime.host, variables: runtime.variables, isCheckMode: checkMode,
      magic: magic)
    var outcome = Outcome(result: StepResult())
    if step.loop != nil {
      let itemScopes: [StepScope]
      do {
        itemScopes = try Self.itemScopes(of: step, in: scope)
      } catch {
        outcome.result = .failure("loop items could not be computed: \(error)")
        return finish(step, outcome, runtime: runtime)
      }
      if itemScopes.isEmpty {
        outcome.result = .skipped("No items in the list")
        return finish(step, outcome, runtime: runtime)
      }
      var results: [StepResult] = []
      let control = step.loopControl
      for itemScope in itemScopes {
        let item = itemScope.item ?? .null
        var itemResult = await attempt(
          step, info: info, scope: itemScope, runtime: runtime, events: &outcome.events,
          recorded: &outcome.recorded)
        itemResult.item = item
        itemResult.itemVariable = control.variable
        itemResult.itemLabel = control.label?(item)
        if itemResult.changed && !itemResult.failed && !itemResult.unreachable {
          outcome.notifications += notifications(of: step, scope: itemScope)
        }
        results.append(itemResult)
        if itemResult.unreachable { break }
        if let stop = control.breakWhen,
          (try? stop.holds(in: itemScope.with(result: itemResult, named: step.register))) == true
        {
          break
        }
      }
      outcome.result = Self.aggregate(results)
    } else {
      outcome.result = await attempt(
        step, info: info, scope: scope, runtime: runtime, events: &outcome.events,
        recorded: &outcome.recorded)
      if outcome.result.changed && !outcome.result.failed && !outcome.result.unreachable {
        outcome.notifications = notifications(of: step, scope: scope)
      }
    }
    if outcome.result.failed, (try? step.ignoreErrors?.holds(in: scope)) ?? false {
      outcome.result.ignored = true
    }
    outcome.result.simulated = checkMode
    outcome = finish(step, outcome, runtime: runtime)
    await forgetUnnotified(step, outcome, runtime: runtime)
    return outcome
  }

  /// Handlers are recorded as pending before the change is applied, when only the plan is known;
  /// the judged result may notify fewer (`changed_when` false, a failure, ignored or not).
  /// Those are forgotten again, or the next run would run them for nothing. An unreachable
  /// host keeps its record: its change may have been made.
  private func forgetUnnotified(_ step: Step, _ outcome: Outcome, runtime: HostRuntime) async {
    guard !outcome.recorded.isEmpty, !outcome.result.unreachable else { return }
    let notified = handlerNames(answering: outcome.notifications, from: step, on: runtime)
    await runtime.forgetUnnotified(outcome.recorded, notified: notified)
  }

  /// The handlers (`role : name`) that `notifications` from `step` reach on this host.
  private func handlerNames(
    answering notifications: [HandlerID], from step: Step, on runtime: HostRuntime
  ) -> [HandlerIdentity] {
    notifications.flatMap { notification in
      runtime.program.handlers(answering: notification, from: step.role).map(\.identity)
    }
  }

  private func finish(_ step: Step, _ outcome: Outcome, runtime: HostRuntime) -> Outcome {
    var outcome = outcome
    if step.noLog { outcome.result.censored = true }
    if let name = step.register, !outcome.result.unreachable {
      var registered = outcome.result
      registered.censored = false
      runtime.register(name, registered.json)
    }
    // A failed step notifies nothing, even when its errors are ignored (Ansible H1).
    if outcome.result.failed { outcome.notifications = [] }
    return outcome
  }

  /// The scopes `step` runs in under `scope`: one per loop item (named as `loop_control`
  /// says), or `scope` itself without a loop; throws what computing the items throws.
  static func itemScopes(of step: Step, in scope: StepScope) throws -> [StepScope] {
    guard let loop = step.loop else { return [scope] }
    let items = try loop(scope)
    return items.indices.map { index in
      scope.with(
        item: items[index], named: step.loopControl.variable,
        loop: loopNames(step.loopControl, items: items, index: index))
    }
  }

  /// `index_var` and, with `extended`, `ansible_loop` for the item at `index`.
  private static func loopNames(_ control: LoopControl, items: [JSONValue], index: Int)
    -> [String: JSONValue]
  {
    var names: [String: JSONValue] = [:]
    if let name = control.indexVariable { names[name] = .int(index) }
    if control.extended {
      var loop: [String: JSONValue] = [
        "index": .int(index + 1), "index0": .int(index), "revindex": .int(items.count - index),
        "revindex0": .int(items.count - index - 1), "first": .bool(index == 0),
        "last": .bool(index == items.count - 1), "length": .int(items.count),
        "allitems": .array(items),
      ]
      if index > 0 { loop["previtem"] = items[index - 1] }
      if index < items.count - 1 { loop["nextitem"] = items[index + 1] }
      names["ansible_loop"] = .object(loop)
    }
    return names
  }

  /// Ansible's loop result: changed if any item changed, failed if any failed, skipped only
  /// if all were skipped.
  static func aggregate(_ items: [StepResult]) -> StepResult {
    var result = StepResult()
    result.items = items
    result.changed = items.contains { $0.changed }
    result.failed = items.contains { $0.failed && !$0.ignored }
    result.unreachable = items.contains { $0.unreachable }
    result.skipped = !items.isEmpty && items.allSatisfy { $0.skipped }
    result.message =
      result.failed
      ? "One or more items failed"
      : result.skipped ? "All items skipped" : "All items completed"
    return result
  }

  /// The step's `notify` names with `{{ }}` rendered; one that renders to a list notifies
  /// each of its names (`notify: "{{ handler_list }}"`).
  func notifications(of step: Step, scope: StepScope) -> [HandlerID] {
    step.notify.flatMap { $0.rendered(in: scope) ?? [$0] }
  }

  /// Runs attempts until `until` holds or retries are spent; reports the true attempt count.
  private func attempt(
    _ step: Step, info: StepInfo, scope: StepScope, runtime: HostRuntime, events: inout [Event],
    recorded: inout [HandlerIdentity]
  ) async -> StepResult {
    if let when = step.when {
      do {
        if try !when.holds(in: scope) {
          return .skipped("Conditional result was False", condition: when.text)
        }
      } catch {
        return .failure("The conditional check '\(when.text)' failed: \(error)")
      }
    }
    var number = 1
    while true {
      var result = await runOnce(
        step, info: info, scope: scope, runtime: runtime, recorded: &recorded)
      if result.skipped || result.unreachable { return result }
      // `attempts` is there for changed_when/failed_when already (ansible-core).
      if step.retry != nil { result.attempts = number }
      judge(step, &result, scope: scope)
      guard let retry = step.retry else { return result }
      let done: Bool
      do {
        done = try retry.until.holds(in: scope.with(result: result, named: step.register))
      } catch {
        result.failed = true
        result.message = "The conditional check '\(retry.until.text)' failed: \(error)"
        return result
      }
      if done { return result }
      if number > retry.retries {
        // Out of retries the step fails, unless `failed_when` judged it: ansible-core's
        // status follows `failed_when_result` where there is one.
        result.failed = result.failedWhenResult ?? true
        // ansible-core reports the retries asked for, not the attempts made (one more).
        result.attempts = retry.retries
        if result.message == nil { result.message = "Retries exhausted" }
        return result
      }
      events.append(
        .retrying(
          host: runtime.name, step: info, retriesLeft: retry.retries - number + 1, result: result))
      await clock.sleep(seconds: retry.delaySeconds)
      number += 1
    }
  }

  /// `changed_when`, then `failed_when`, with the attempt's result visible (Ansible R2).
  private func judge(_ step: Step, _ result: inout StepResult, scope: StepScope) {
    do {
      if let changedWhen = step.changedWhen {
        result.changed = try changedWhen.holds(in: scope.with(result: result, named: step.register))
      }
      if let failedWhen = step.failedWhen {
        result.failed = try failedWhen.holds(in: scope.with(result: result, named: step.register))
        result.failedWhenResult = result.failed
        if !result.failed {
          result.message = nil
        } else if result.message == nil {
          result.message = "Failed as requested from task"
        }
      }
    } catch {
      result.failed = true
      result.message = "The conditional check failed: \(error)"
    }
  }

  /// Builds the module for this host and item, plans, and applies unless in check mode;
  /// adds the handlers it recorded as pending to `recorded`.
  private func runOnce(
    _ step: Step, info: StepInfo, scope: StepScope, runtime: HostRuntime,
    recorded: inout [HandlerIdentity]
  ) async -> StepResult {
    var result = StepResult()
    var module: (any Module)?
    do {
      guard let resolved = try runtime.modules.resolve(step, in: scope) else { return result }
      if !resolved.problems.isEmpty {
        throw ModuleError(resolved.problems.joined(separator: "; "))
      }
      let built = resolved.module
      module = built
      let context = PlanContext(
        host: runtime.host, isCheckMode: scope.isCheckMode, reader: runtime.reader, scope: scope,
        templates: options.templates, files: options.files, verbosity: options.verbosity)
      let plan = try await built.plan(in: context)
      if let reason = plan.skipReason { return .skipped(reason) }
      result.values = plan.values
      result.display = plan.display
      for (name, value) in plan.definedVariables.sorted(by: { $0.key < $1.key }) {
        runtime.register(name, value)
      }
      if let failure = plan.failure {
        result.failed = true
        result.message = failure
        return result
      }
      if plan.isEmpty {
        if let note = plan.note { result.values["note"] = .string(note) }
        return result
      }
      if scope.isCheckMode, let reason = plan.unpredictableReason {
        var skipped = StepResult()
        skipped.skipped = true
        skipped.message = reason
        return skipped
      }
      result.changed = plan.changes.contains { $0.reportsChanged }
      result.changes = plan.changes.map(\.summary)
      result.diffs =
        (options.diff && step.showsDiff && !step.noLog) ? plan.changes.compactMap(\.diff) : []
      if scope.isCheckMode { return result }
      runtime.prefetchIsCurrent = false
      let toRecord = handlerNames(
        answering: notifications(of: step, scope: scope), from: step, on: runtime)
      // A plan whose changes do not count (a bare daemon-reload) notifies nothing, so it
      // records nothing either.
      if result.changed, !toRecord.isEmpty {
        await runtime.recordPending(toRecord)
        recorded += toRecord
      }
      var waiting: LongWait.Report?
      if let live {
        let host = runtime.name
        waiting = { change, seconds in
          await live(.waiting(host: host, step: info, change: change, seconds: seconds))
        }
      }
      let outputs = try await runtime.executor.apply(plan.changes, waiting: waiting)
      if let reporting = built as? any ResultBuildingModule {
        result.values.merge(reporting.resultValues(from: outputs)) { _, new in new }
        result.commandOutput = outputs.last
      }
      return result
    } catch let error as HostUnreachable {
      result.unreachable = true
      result.message = error.message
    } catch let error as CommandFailed {
      result.failed = true
      result.commandOutput = error.output
      if let reporting = module as? any ResultBuildingModule {
        result.values.merge(reporting.resultValues(from: [error.output])) { _, new in new }
        // Ansible's words for a command's own failure; one the module explained (a unit's
        // state and journal after a failed restart) is shown whole.
        let explained = !(error.diagnosis ?? "").isEmpty
        result.message = explained ? error.description : "non-zero return code"
      } else {
        result.message = error.description
      }
    } catch {
      result.failed = true
      result.message = "\(error)"
    }
    return result
  }
}
