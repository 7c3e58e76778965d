import Synchronization

/// One play's run: batches (`serial`), the three sections with their flushes, steps in
/// lockstep across hosts (or each host on its own with `strategy: free`), blocks, and the
/// rules that end a play early.
struct PlayExecution: Sendable {
  enum Outcome: Sendable { case completed, stopPlaybook }

  let play: Play
  /// The inventory's groups, for `groups` in expressions.
  let groups: [String: [String]]
  let options: RunOptions
  let sink: any EventSink
  let executor: StepExecutor
  let stopSignal: StopSignal

  /// The play's own `force_handlers` beats the command line's, either way (Ansible).
  private var forceHandlers: Bool { play.forceHandlers ?? options.forceHandlers }

  func run(_ runtimes: [HostRuntime]) async -> Outcome {
    let batches = play.serial?.batches(runtimes) ?? [runtimes]
    let all = runtimes.map(\.name)
    for (index, batch) in batches.enumerated() {
      if index > 0 {
        await sink.record(
          .playStarted(
            PlayInfo(
              name: play.displayName, hosts: batch.map(\.name), source: play.source.description,
              checkMode: options.checkMode)))
      }
      let run = BatchRun(batch: batch, playHosts: all)
      let sections: [KeyPath<HostProgram, [Step]>] = [\.preSteps, \.mainSteps, \.postSteps]
      for section in sections {
        let live = batch.filter(\.isActive)
        let result = await runSection(section, hosts: live, run: run)
        // Interrupted: no handler runs on a half-applied change (ansible-playbook runs none
        // either); the hosts' pending-handler records keep what is owed for the next run.
        if stopSignal.isStopped { return .stopPlaybook }
        let flushHosts = batch.filter { host in
          host.isActive
            || (forceHandlers && host.status == .failed && live.contains { $0 === host })
        }
        await flush(flushHosts, run: run, part: nil)
        if result == .stopPlaybook || stopSignal.isStopped { return .stopPlaybook }
        if run.ended { break }
      }
      if run.playEnded { return .completed }
      if batch.allSatisfy({ $0.status == .failed || $0.status == .unreachable })
        && index < batches.count - 1
      {
        return .stopPlaybook  // every host of a batch failed: Ansible stops the playbook
      }
    }
    return .completed
  }

  /// What one batch shares while it runs: whether `meta: end_batch`/`end_play` ended it.
  final class BatchRun: Sendable {
    let batch: [HostRuntime]
    let playHosts: [String]
    private let state = Mutex<(ended: Bool, playEnded: Bool)>((false, false))

    init(batch: [HostRuntime], playHosts: [String]) {
      self.batch = batch
      self.playHosts = playHosts
    }

    private let clearCount = Mutex(0)

    var ended: Bool { state.withLock { $0.ended } }
    var playEnded: Bool { state.withLock { $0.playEnded } }
    func end(play: Bool) { state.withLock { $0 = (true, $0.playEnded || play) } }
    /// How many times `meta: clear_host_errors` ran in this batch.
    var clears: Int { clearCount.withLock { $0 } }
    func clearErrors() { clearCount.withLock { $0 += 1 } }
  }

  // MARK: Sections and steps

  private func runSection(
    _ section: KeyPath<HostProgram, [Step]>, hosts: [HostRuntime], run: BatchRun
  ) async -> Outcome {
    guard play.strategy == .free else {
      let lists = hosts.map { $0.program[keyPath: section] }
      return await runRows(StepAlignment.align(lists), hosts: hosts, run: run, part: nil)
    }
    // `free`: each host goes through its own steps as fast as it can.
    let work = hosts.map { host in (host, StepAlignment.align([host.program[keyPath: section]])) }
    let outcomes = await runBounded(work) { host, rows in
      await self.runRows(rows, hosts: [host], run: run, part: nil)
    }
    return outcomes.contains(.stopPlaybook) ? .stopPlaybook : .completed
  }

  /// One part (`block`, `rescue` or `always`) of a block being run: the hosts that failed in
  /// it, which leave it, and whether their failure is caught by a rescue — this block's, or
  /// an enclosing one's while in its `block` part (Ansible's `is_any_block_rescuing`).
  final class BlockPart: Sendable {
    let failed = Mutex<Set<String>>([])
    let rescuing: Bool
    init(rescuing: Bool) { self.rescuing = rescuing }

    func hasFailed(_ host: HostRuntime) -> Bool { failed.withLock { $0.contains(host.name) } }
  }

  /// `asHandlers`: the rows are a handler's included file, whose steps print as handlers.
  private func runRows(
    _ rows: [StepAlignment.Row], hosts: [HostRuntime], run: BatchRun, part: BlockPart?,
    asHandlers: Bool = false
  ) async -> Outcome {
    for row in rows {
      if stopSignal.isStopped { return .stopPlaybook }
      if run.ended { return .completed }
      // A forced handler's included steps run on a failed host too.
      let participants = hosts.filter { host in
        (host.isActive || (asHandlers && forceHandlers && host.status == .failed))
          && !(part?.hasFailed(host) ?? false)
      }
      if participants.isEmpty { return .completed }
      guard let step = row.representative else { continue }
      let perHost = Dictionary(
        uniqueKeysWithValues: participants.compactMap { host in
          hosts.firstIndex { $0 === host }.map { (host.name, row.steps[$0]) }
        })
      switch step.body {
      case .meta(let action):
        await runMeta(
          action, step: step, perHost: perHost, hosts: participants, run: run, part: part,
          asHandler: asHandlers)
      case .block:
        let escaped = await runBlock(
          row, hosts: participants, allHosts: hosts, run: run, part: part, asHandlers: asHandlers)
        for host in escaped { fail(host, in: part) }
      case .module:
        await runStep(
          step, perHost: perHost, hosts: participants, run: run, part: part, asHandler: asHandlers)
      case .role:
        continue  // replaced by the role's steps when the play was compiled
      case .include(let include):
        await runInclude(
          include, step: step, perHost: perHost, hosts: participants, allHosts: hosts, row: row,
          run: run, part: part, asHandlers: asHandlers)
      }
      if let stop = await checkFailureLimits(run.batch, failedNow: participants, part: part) {
        return stop
      }
    }
    return .completed
  }

  /// Runs a block's parts; returns the hosts whose failure escaped it (to the enclosing part,
  /// or, at the top, to failing the host). `always` runs on every host that entered,
  /// failed or not; a failed host with no rescue stops after it.
  private func runBlock(
    _ row: StepAlignment.Row, hosts: [HostRuntime], allHosts: [HostRuntime], run: BatchRun,
    part enclosing: BlockPart?, asHandlers: Bool
  ) async -> [HostRuntime] {
    func parts(_ pick: (Block) -> [Step], of members: [HostRuntime]) -> [StepAlignment.Row] {
      let lists = members.map { host -> [Step] in
        guard let index = allHosts.firstIndex(where: { $0 === host }),
          case .block(let block) = row.steps[index]?.body
        else { return [] }
        return pick(block)
      }
      return StepAlignment.align(lists)
    }
    let representative = row.representative.flatMap { step -> Block? in
      if case .block(let block) = step.body { return block }
      return nil
    }
    let hasRescue = !(representative?.rescue.isEmpty ?? true)
    let outerRescuing = enclosing?.rescuing ?? false
    let tasks = BlockPart(rescuing: hasRescue || outerRescuing)
    _ = await runRows(
      parts(\.steps, of: hosts), hosts: hosts, run: run, part: tasks, asHandlers: asHandlers)
    let failedInTasks = hosts.filter { tasks.hasFailed($0) && $0.isActive }
    var escaped: [HostRuntime] = []
    if hasRescue && !failedInTasks.isEmpty {
      let rescue = BlockPart(rescuing: outerRescuing)
      _ = await runRows(
        parts(\.rescue, of: failedInTasks), hosts: failedInTasks, run: run, part: rescue,
        asHandlers: asHandlers)
      escaped += failedInTasks.filter { rescue.hasFailed($0) }
    } else {
      escaped += failedInTasks
    }
    let always = BlockPart(rescuing: outerRescuing)
    let clearsBefore = run.clears
    _ = await runRows(
      parts(\.always, of: hosts), hosts: hosts, run: run, part: always, asHandlers: asHandlers)
    // `clear_host_errors` in `always` forgives the block's failures.
    if run.clears > clearsBefore { escaped = [] }
    escaped += hosts.filter(always.hasFailed)
    return hosts.filter { host in escaped.contains { $0 === host } && host.isActive }
  }

  /// `include_tasks`: its `when` per host (false: skipped), then `included: FILE for …` (an
  /// ok on each host, as Ansible counts it) and the file's steps on those hosts, where the
  /// include stands (a failure there is one of the enclosing part). With a loop, each item
  /// is one inclusion, announced together, then run in order with the item bound.
  private func runInclude(
    _ include: TaskInclude, step: Step, perHost: [String: Step?], hosts: [HostRuntime],
    allHosts: [HostRuntime], row: StepAlignment.Row, run: BatchRun, part: BlockPart?,
    asHandlers: Bool
  ) async {
    let info = info(for: step, handler: asHandlers)
    await sink.record(.stepStarted(info))
    // Per host, the loop items it includes the file for (one `nil` item without a loop).
    var inclusions: [(host: HostRuntime, items: [JSONValue?])] = []
    for host in hosts {
      guard let hostStep = perHost[host.name] ?? nil else { continue }
      let scope = StepScope(
        for: hostStep, host: host.host, variables: host.variables, magic: magicNames(run))
      var result: StepResult
      do {
        guard let loop = hostStep.loop else {
          if try hostStep.when?.holds(in: scope) ?? true {
            inclusions.append((host, [nil]))
            continue
          }
          result = .skipped("Conditional result was False", condition: hostStep.when?.text)
          await record(
            StepExecutor.Outcome(result: result), host: host, step: step, info: info, part: part)
          continue
        }
        let control = hostStep.loopControl
        var chosen: [JSONValue?] = []
        var skipped: [StepResult] = []
        for item in try loop(scope) {
          let itemScope = scope.with(item: item, named: control.variable)
          if try hostStep.when?.holds(in: itemScope) ?? true {
            chosen.append(item)
          } else {
            var skip = StepResult.skipped("Conditional result was False")
            skip.item = item
            skip.itemVariable = control.variable
            skip.itemLabel = control.label?(item)
            skipped.append(skip)
          }
        }
        if !chosen.isEmpty { inclusions.append((host, chosen)) }
        guard chosen.isEmpty else { continue }
        result = StepExecutor.aggregate(skipped)
        if skipped.isEmpty { result = .skipped("No items in the list") }
      } catch {
        result = .failure("include_tasks: \(error)")
      }
      await record(
        StepExecutor.Outcome(result: result), host: host, step: step, info: info, part: part)
    }
    guard !inclusions.isEmpty else { return }
    let count = inclusions.map(\.items.count).max() ?? 0
    let variable = step.loopControl.variable
    for index in 0..<count {
      let members = inclusions.filter { $0.items.count > index }
      let item = members.first?.items[index]
      await sink.record(
        .included(
          file: include.file, hosts: members.map(\.host.name), step: info,
          item: item.map { step.loopControl.label?($0) ?? $0.interpolated }))
      for member in members { member.host.count { $0.ok += 1 } }
    }
    for index in 0..<count {
      let members = inclusions.filter { $0.items.count > index }
      let lists = members.map { member -> [Step] in
        guard let position = allHosts.firstIndex(where: { $0 === member.host }),
          case .include(let own) = row.steps[position]?.body
        else { return [] }
        guard let item = member.items[index] else { return own.steps }
        return own.steps.map { $0.binding([variable: item]) }
      }
      _ = await runRows(
        StepAlignment.align(lists), hosts: members.map(\.host), run: run, part: part,
        asHandlers: asHandlers)
    }
  }

  /// `meta:` actions; `when` is honoured per host, as for any step.
  private func runMeta(
    _ action: MetaAction, step: Step, perHost: [String: Step?], hosts: [HostRuntime],
    run: BatchRun, part: BlockPart?, asHandler: Bool
  ) async {
    let info = info(for: step, handler: asHandler)
    await sink.record(.stepStarted(info))
    // As ansible-core, actions on the whole play are judged on its first host only; a false
    // `when` prints `skipping` and counts nowhere.
    let playWide: Set<MetaAction> = [.endPlay, .endBatch, .clearHostErrors, .refreshInventory]
    let judged = playWide.contains(action) ? Array(hosts.prefix(1)) : hosts
    var chosen: [HostRuntime] = []
    for host in judged {
      guard let hostStep = perHost[host.name] ?? nil else { continue }
      let scope = StepScope(
        for: hostStep, host: host.host, variables: host.variables, magic: magicNames(run))
      if (try? hostStep.when?.holds(in: scope)) ?? true {
        chosen.append(host)
      } else {
        let skipped = StepResult.skipped("Conditional result was False")
        await sink.record(.hostResult(host: host.name, step: info, result: skipped))
      }
    }
    switch action {
    case .flushHandlers:
      await flush(chosen, run: run, part: part)
    case .endHost:
      for host in chosen { host.mark(.ended) }
    case .endBatch, .endPlay:
      guard !chosen.isEmpty else { return }
      for host in run.batch where host.isActive { host.mark(.ended) }
      run.end(play: action == .endPlay)
    case .clearHostErrors:
      // A host failed at the top of a section stays out of this play's remaining steps (its
      // iterator state is complete in ansible-core) but no longer counts as failed, for the
      // next plays and the exit code; one failed in a block goes on after the block.
      guard !chosen.isEmpty else { return }
      run.clearErrors()
      for host in run.batch {
        host.clearFailure()
        host.count { stats in stats.failuresCleared = stats.failed + stats.unreachable > 0 }
      }
    case .noop, .refreshInventory, .clearFacts, .resetConnection:
      return
    }
  }

  /// Runs a step on every participating host, `forks` at a time, then reports in inventory
  /// order. `run_once` runs on the first host and gives its result to all.
  private func runStep(
    _ step: Step, perHost: [String: Step?], hosts: [HostRuntime], run: BatchRun, part: BlockPart?,
    asHandler: Bool
  ) async {
    let info = info(for: step, handler: asHandler)
    await sink.record(.stepStarted(info))
    let runOnce = hosts.first.map { isRunOnce(step, on: $0) } ?? false
    let targets = runOnce ? Array(hosts.prefix(1)) : hosts
    let magic = magicNames(run)
    let outcomes = await runBounded(targets) {
      host -> (StepExecutor.Outcome, [HandlerIdentity]) in
      guard let hostStep = perHost[host.name] ?? nil else {
        return (StepExecutor.Outcome(result: .skipped("Conditional result was False")), [])
      }
      await self.warmCache(host, from: hostStep)
      let owed = await self.notifyOwedHandlers(host)
      return (await self.executor.execute(hostStep, info: info, on: host, magic: magic), owed)
    }
    await reportLedgerWarnings(targets)
    for (host, (_, owed)) in zip(targets, outcomes) where !owed.isEmpty {
      await sink.record(
        .warning(
          "\(host.name): running handlers an earlier run left pending: "
            + owed.map(\.description).joined(separator: ", ")))
    }
    for (host, (outcome, _)) in zip(targets, outcomes) {
      await record(outcome, host: host, step: step, info: info, part: part)
    }
    if runOnce, let first = outcomes.first?.0 {
      for host in hosts.dropFirst() {
        if let name = step.register { host.register(name, first.result.json) }
        // The other hosts share the result, notifications included.
        notify(first.notifications, host: host, from: step.role)
      }
    }
  }

  /// `run_once`, judged on the first host when it is an expression.
  private func isRunOnce(_ step: Step, on host: HostRuntime) -> Bool {
    let scope = StepScope(for: step, host: host.host, variables: host.variables)
    return (try? step.runOnce?.holds(in: scope)) ?? false
  }

  private func record(
    _ outcome: StepExecutor.Outcome, host: HostRuntime, step: Step, info: StepInfo,
    part: BlockPart?
  ) async {
    for event in outcome.events { await sink.record(event) }
    await sink.record(.hostResult(host: host.name, step: info, result: outcome.result))
    let result = outcome.result
    if result.unreachable {
      host.count { stats in
        stats.unreachable += 1
        stats.failuresCleared = false
      }
      host.mark(.unreachable)
      host.dropPending()
      return
    }
    if result.failed && !result.ignored {
      // Counted where it happens: `rescued` when a rescue will run for it, else `failed`.
      if part?.rescuing == true {
        host.count { $0.rescued += 1 }
        host.register(
          "ansible_failed_task", ["name": .string(step.name), "action": moduleText(step)])
        host.register("ansible_failed_result", result.json)
      } else {
        host.count { stats in
          stats.failed += 1
          stats.failuresCleared = false
        }
      }
      fail(host, in: part)
      return
    }
    host.count { stats in
      if result.skipped {
        stats.skipped += 1
      } else {
        stats.ok += 1
        if result.changed { stats.changed += 1 }
        if result.ignored { stats.ignored += 1 }
      }
    }
    // A handler that really ran is no longer owed (one that only simulated owes it still).
    if info.isHandler && !result.simulated, let handler = host.program.handler(running: step) {
      host.settle(handler.identity)
    }
    notify(outcome.notifications, host: host, from: step.role)
    for notification in outcome.notifications {
      for handler in host.program.handlers(answering: notification, from: step.role) {
        await sink.record(.handlerNotified(host: host.name, handler: handler.step.displayName))
      }
    }
  }

  private func moduleText(_ step: Step) -> JSONValue {
    step.moduleName.map { .string($0.rawValue) } ?? .null
  }

  private func notify(_ notifications: [HandlerID], host: HostRuntime, from role: RoleName?) {
    for notification in notifications {
      for handler in host.program.handlers(answering: notification, from: role) {
        host.notify(handler.identity)
      }
    }
  }

  /// A failure in a block's part leaves that part (the block decides what follows); at the
  /// top of a section it fails the host.
  private func fail(_ host: HostRuntime, in part: BlockPart?) {
    if let part {
      part.failed.withLock { _ = $0.insert(host.name) }
    } else {
      host.mark(.failed)
      if !forceHandlers { host.dropPending() }
    }
  }

  // MARK: Handlers

  /// Runs notified handlers in definition order, once per host; a handler notified by a
  /// later-defined one runs in this flush, by an earlier-defined one at the next flush. An
  /// interrupt stops it before the next handler; the rest stay owed in the records. Inside a
  /// block, a handler's failure is a failure of that block part.
  private func flush(_ hosts: [HostRuntime], run: BatchRun, part: BlockPart?) async {
    guard hosts.contains(where: \.hasPending) else { return }
    let rows = StepAlignment.align(hosts.map { $0.program.handlers.map(\.step) })
    for row in rows where !stopSignal.isStopped {
      guard let representative = row.representative else { continue }
      let notified = hosts.enumerated().filter { index, host in
        guard let step = row.steps[index], let handler = host.program.handler(running: step)
        else { return false }
        return host.isPending(handler.identity)
          && (host.isActive || (forceHandlers && host.status == .failed))
          && !(part?.hasFailed(host) ?? false)
      }
      guard !notified.isEmpty else { continue }
      if case .include(let include) = representative.body {
        // A handler that includes a file: `included:`, then the file's steps as handlers.
        // Run for real, it is no longer owed (its steps' own failures fail the host).
        let simulated = representative.checkMode ?? options.checkMode
        for (index, host) in notified {
          if let step = row.steps[index], let handler = host.program.handler(running: step) {
            host.clearPending(handler.identity)
            if !simulated { host.settle(handler.identity) }
          }
        }
        let perHost = Dictionary(
          uniqueKeysWithValues: notified.map { index, host in (host.name, row.steps[index]) })
        await runInclude(
          include, step: representative, perHost: perHost, hosts: notified.map(\.element),
          allHosts: hosts, row: row, run: run, part: part, asHandlers: true)
        continue
      }
      let info = info(for: representative, handler: true)
      await sink.record(.stepStarted(info))
      for (index, host) in notified {
        if let step = row.steps[index], let handler = host.program.handler(running: step) {
          host.clearPending(handler.identity)
        }
      }
      // A `meta` handler (`noop`) prints its banner and nothing else.
      if case .meta = representative.body { continue }
      let runOnce = notified.first.map { isRunOnce(representative, on: $0.element) } ?? false
      let targets = runOnce ? Array(notified.prefix(1)) : notified
      let magic = magicNames(run)
      let outcomes = await runBounded(targets) { index, host -> StepExecutor.Outcome in
        guard let step = row.steps[index] else { return StepExecutor.Outcome(result: StepResult()) }
        return await self.executor.execute(step, info: info, on: host, magic: magic)
      }
      for ((index, host), outcome) in zip(targets, outcomes) {
        let step = row.steps[index] ?? representative
        await record(outcome, host: host, step: step, info: info, part: part)
      }
    }
    for host in hosts { await host.saveLedger() }
    await reportLedgerWarnings(hosts)
  }

  /// Problems with the hosts' pending-handler records since the last report, as warnings.
  private func reportLedgerWarnings(_ hosts: [HostRuntime]) async {
    for host in hosts {
      for warning in host.takeLedgerWarnings() { await sink.record(.warning(warning)) }
    }
  }

  // MARK: Limits

  /// `any_errors_fatal`: a failure fails every other host of the batch where it stands — in
  /// a block with a rescue that sends it there. `max_fail_percentage`: beyond it the play
  /// stops, and only then does Ansible print NO MORE HOSTS LEFT.
  private func checkFailureLimits(
    _ batch: [HostRuntime], failedNow participants: [HostRuntime], part: BlockPart?
  ) async -> Outcome? {
    let failedHere = participants.filter { host in
      host.status == .failed || host.status == .unreachable || (part?.hasFailed(host) ?? false)
    }
    if play.anyErrorsFatal && !failedHere.isEmpty {
      let others = participants.filter { host in !failedHere.contains { $0 === host } }
      if let part {
        for host in others where host.isActive { part.failed.withLock { _ = $0.insert(host.name) } }
        return nil
      }
      for host in others where host.isActive {
        host.mark(.stopped)
        if !forceHandlers { host.dropPending() }
      }
      return .stopPlaybook
    }
    let failed = batch.filter { $0.status == .failed || $0.status == .unreachable }.count
    if let limit = play.maxFailPercentage, failed > 0,
      Double(failed) / Double(batch.count) * 100 > limit
    {
      for host in batch where host.isActive {
        host.mark(.stopped)
        if !forceHandlers { host.dropPending() }
      }
      await sink.record(.noHostsLeft)
      return .stopPlaybook
    }
    return nil
  }

  // MARK: Helpers

  func info(for step: Step, handler: Bool) -> StepInfo {
    StepInfo(
      displayName: step.displayName, module: step.moduleName?.rawValue, isHandler: handler,
      source: step.source.description, showsDiff: options.diff && step.showsDiff && !step.noLog)
  }

  /// The play's magic variables as a step sees them (one value shared by every host).
  /// `hostvars` is built only for a play that names it: it holds every host's variables.
  private func magicNames(_ run: BatchRun) -> [String: JSONValue] {
    let active = run.batch.filter(\.isActive).map { JSONValue.string($0.name) }
    var names: [String: JSONValue] = [
      "ansible_play_batch": .array(active),
      "ansible_play_hosts": .array(active),
      "play_hosts": .array(active),
      "ansible_play_hosts_all": .array(run.playHosts.map(JSONValue.string)),
      "groups": .object(groups.mapValues { .array($0.map(JSONValue.string)) }),
    ]
    if play.namesHostVariables {
      var all: [String: JSONValue] = [:]
      for host in run.batch {
        var values = host.variables.visibleValues
        values["inventory_hostname"] = .string(host.name)
        values["group_names"] = .array(
          host.host.groups.filter { $0 != "all" }.map(JSONValue.string))
        all[host.name] = .object(values)
      }
      names["hostvars"] = .object(all)
    }
    return names
  }

  /// Fills a host's read cache with every read its remaining steps will make, in one batch,
  /// when the cache went cold (start of play, or after a change).
  private func warmCache(_ host: HostRuntime, from step: Step) async {
    guard !host.cacheIsWarm else { return }
    host.cacheIsWarm = true
    let program = host.program
    let steps = program.preSteps + program.mainSteps + program.postSteps
    let start = steps.firstIndex { $0.source == step.source && $0.name == step.name } ?? 0
    await ProbeBatch.prefetch(steps[start...], on: host)
  }

  /// Once per play and host: the handlers its pending-handler record holds (an earlier run
  /// changed something and stopped before they ran) are notified now.
  private func notifyOwedHandlers(_ host: HostRuntime) async -> [HandlerIdentity] {
    guard let owed = await host.loadOwed() else { return [] }
    for handler in owed { host.notify(handler) }
    return owed
  }

  /// Runs `work` for each element, at most `forks` at once, results in input order.
  func runBounded<T: Sendable, R: Sendable>(
    _ items: [T], _ work: @escaping @Sendable (T) async -> R
  ) async -> [R] {
    let limit = max(1, options.forks)
    return await withTaskGroup(of: (Int, R).self) { group in
      var results = [R?](repeating: nil, count: items.count)
      var next = 0
      for _ in 0..<min(limit, items.count) {
        let index = next
        group.addTask { (index, await work(items[index])) }
        next += 1
      }
      while let (index, value) = await group.next() {
        results[index] = value
        if next < items.count {
          let index = next
          group.addTask { (index, await work(items[index])) }
          next += 1
        }
      }
      return results.compactMap { $0 }
    }
  }
}
