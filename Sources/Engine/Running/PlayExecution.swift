import Synchronization

/// One play's run: batches (`serial`), the three sections with their flushes, steps in
/// lockstep across hosts, blocks, and the rules that end a play early.
struct PlayExecution: Sendable {
  enum Outcome: Sendable { case completed, stopPlaybook }

  let play: Play
  let options: RunOptions
  let sink: any EventSink
  let executor: StepExecutor
  let stopSignal: StopSignal

  private var forceHandlers: Bool { options.forceHandlers || play.forceHandlers }

  func run(_ runtimes: [HostRuntime]) async -> Outcome {
    let batches = play.serial?.batches(runtimes) ?? [runtimes]
    for (index, batch) in batches.enumerated() {
      if index > 0 {
        await sink.record(
          .playStarted(
            PlayInfo(
              name: play.displayName, hosts: batch.map(\.name), source: play.source.description,
              checkMode: options.checkMode)))
      }
      let sections: [KeyPath<HostProgram, [Step]>] = [\.preSteps, \.mainSteps, \.postSteps]
      for section in sections {
        let live = batch.filter(\.isActive)
        let result = await runSection(section, hosts: live, batch: batch)
        // Interrupted: no handler runs on a half-applied change (ansible-playbook runs none
        // either); the hosts' pending-handler records keep what is owed for the next run.
        if stopSignal.isStopped { return .stopPlaybook }
        let flushHosts = batch.filter { host in
          host.isActive
            || (forceHandlers && host.status == .failed && live.contains { $0 === host })
        }
        await flush(flushHosts, batch: batch)
        if result == .stopPlaybook || stopSignal.isStopped { return .stopPlaybook }
      }
      if batch.allSatisfy({ !$0.isActive }) && index < batches.count - 1 {
        return .stopPlaybook  // every host of a batch failed: Ansible stops the playbook
      }
    }
    return .completed
  }

  // MARK: Sections and steps

  private func runSection(
    _ section: KeyPath<HostProgram, [Step]>, hosts: [HostRuntime], batch: [HostRuntime]
  ) async -> Outcome {
    let lists = hosts.map { $0.program[keyPath: section] }
    return await runRows(StepAlignment.align(lists), hosts: hosts, batch: batch, block: nil)
  }

  /// Context of a block being run: failures there go to `rescue`, not to the recap.
  final class BlockContext: Sendable {
    let failed = Mutex<Set<String>>([])
    let rescuable: Bool
    init(rescuable: Bool) { self.rescuable = rescuable }
  }

  private func runRows(
    _ rows: [StepAlignment.Row], hosts: [HostRuntime], batch: [HostRuntime], block: BlockContext?
  ) async -> Outcome {
    for row in rows {
      if stopSignal.isStopped { return .stopPlaybook }
      let participants = hosts.filter { host in
        host.isActive && !(block?.failed.withLock { $0.contains(host.name) } ?? false)
      }
      if participants.isEmpty {
        if batch.allSatisfy({ !$0.isActive }) && block == nil {
          await sink.record(.noHostsLeft)
        }
        return .completed
      }
      guard let step = row.representative else { continue }
      let perHost = Dictionary(
        uniqueKeysWithValues: participants.compactMap { host in
          hosts.firstIndex { $0 === host }.map { (host.name, row.steps[$0]) }
        })
      switch step.body {
      case .flushHandlers:
        await sink.record(.stepStarted(info(for: step, handler: false)))
        await flush(participants.filter { perHost[$0.name] != nil }, batch: batch)
      case .block:
        await runBlock(row, hosts: participants, allHosts: hosts, batch: batch)
      case .module:
        await runStep(step, perHost: perHost, hosts: participants, block: block)
      }
      if let stop = await checkFailureLimits(batch) { return stop }
    }
    return .completed
  }

  private func runBlock(
    _ row: StepAlignment.Row, hosts: [HostRuntime], allHosts: [HostRuntime], batch: [HostRuntime]
  ) async {
    func parts(_ pick: (Block) -> [Step]) -> [StepAlignment.Row] {
      let lists = hosts.map { host -> [Step] in
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
    let context = BlockContext(rescuable: !(representative?.rescue.isEmpty ?? true))
    _ = await runRows(parts(\.steps), hosts: hosts, batch: batch, block: context)
    let failedNames = context.failed.withLock { $0 }
    let failedHosts = hosts.filter { failedNames.contains($0.name) && $0.isActive }
    if context.rescuable && !failedHosts.isEmpty {
      _ = await runRows(parts(\.rescue), hosts: failedHosts, batch: batch, block: nil)
      for host in failedHosts where host.isActive { host.count { $0.rescued += 1 } }
    } else {
      for host in failedHosts { markFailed(host) }
    }
    _ = await runRows(parts(\.always), hosts: hosts, batch: batch, block: nil)
  }

  /// Runs a step on every participating host, `forks` at a time, then reports in inventory
  /// order. `run_once` runs on the first host and gives its result to all.
  private func runStep(
    _ step: Step, perHost: [String: Step?], hosts: [HostRuntime], block: BlockContext?
  ) async {
    let info = info(for: step, handler: false)
    await sink.record(.stepStarted(info))
    let targets = step.runOnce ? Array(hosts.prefix(1)) : hosts
    let outcomes = await runBounded(targets) { host -> (StepExecutor.Outcome, [HandlerID]) in
      guard let hostStep = perHost[host.name] ?? nil else {
        return (StepExecutor.Outcome(result: .skipped("Conditional result was False")), [])
      }
      await self.warmCache(host, from: hostStep)
      let owed = await self.notifyOwedHandlers(host)
      return (await self.executor.execute(hostStep, info: info, on: host), owed)
    }
    await reportLedgerWarnings(targets)
    for (host, (_, owed)) in zip(targets, outcomes) where !owed.isEmpty {
      await sink.record(
        .warning(
          "\(host.name): running handlers an earlier run left pending: "
            + owed.map(\.rawValue).joined(separator: ", ")))
    }
    for (host, (outcome, _)) in zip(targets, outcomes) {
      await record(outcome, host: host, info: info, role: step.role, block: block)
    }
    if step.runOnce, let first = outcomes.first?.0, let name = step.register {
      for host in hosts.dropFirst() { host.register(name, first.result.json) }
    }
  }

  private func record(
    _ outcome: StepExecutor.Outcome, host: HostRuntime, info: StepInfo, role: RoleName?,
    block: BlockContext?
  ) async {
    for event in outcome.events { await sink.record(event) }
    await sink.record(.hostResult(host: host.name, step: info, result: outcome.result))
    let result = outcome.result
    if result.unreachable {
      host.count { $0.unreachable += 1 }
      host.mark(.unreachable)
      host.dropPending()
      return
    }
    if result.failed && !result.ignored {
      if let block, block.rescuable {
        block.failed.withLock { _ = $0.insert(host.name) }
      } else {
        host.count { $0.failed += 1 }
        if let block {
          block.failed.withLock { _ = $0.insert(host.name) }
        } else {
          markFailed(host)
        }
      }
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
    // A handler that really ran is no longer owed (in check mode nothing ran).
    if info.isHandler && !options.checkMode { host.settle(HandlerID(info.displayName)) }
    for notification in outcome.notifications {
      for handler in host.program.handlers(answering: notification, from: role) {
        host.notify(handler.qualifiedName)
        await sink.record(.handlerNotified(host: host.name, handler: handler.step.displayName))
      }
    }
  }

  private func markFailed(_ host: HostRuntime) {
    host.mark(.failed)
    if !forceHandlers { host.dropPending() }
  }

  // MARK: Handlers

  /// Runs notified handlers in definition order, once per host; a handler notified by a
  /// later-defined one runs in this flush, by an earlier-defined one at the next flush. An
  /// interrupt stops it before the next handler; the rest stay owed in the records.
  private func flush(_ hosts: [HostRuntime], batch: [HostRuntime]) async {
    guard hosts.contains(where: \.hasPending) else { return }
    let rows = StepAlignment.align(hosts.map { $0.program.handlers.map(\.step) })
    for row in rows where !stopSignal.isStopped {
      guard let representative = row.representative else { continue }
      let id =
        representative.role.map { HandlerID("\($0) : \(representative.name)") }
        ?? HandlerID(representative.name)
      let notified = hosts.enumerated().filter { index, host in
        row.steps[index] != nil && host.isPending(id)
          && (host.isActive || (forceHandlers && host.status == .failed))
      }
      guard !notified.isEmpty else { continue }
      let info = info(for: representative, handler: true)
      await sink.record(.stepStarted(info))
      for (_, host) in notified { host.clearPending(id) }
      let outcomes = await runBounded(notified) { index, host -> StepExecutor.Outcome in
        guard let step = row.steps[index] else { return StepExecutor.Outcome(result: StepResult()) }
        return await self.executor.execute(step, info: info, on: host)
      }
      for ((_, host), outcome) in zip(notified, outcomes) {
        await record(outcome, host: host, info: info, role: representative.role, block: nil)
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

  /// `any_errors_fatal` and `max_fail_percentage`: stop everything, print NO MORE HOSTS LEFT.
  private func checkFailureLimits(_ batch: [HostRuntime]) async -> Outcome? {
    let failed = batch.filter { !$0.isActive }.count
    guard failed > 0 else { return nil }
    var stop = play.anyErrorsFatal
    if let limit = play.maxFailPercentage,
      Double(failed) / Double(batch.count) * 100 > limit
    {
      stop = true
    }
    guard stop else { return nil }
    for host in batch where host.isActive && !forceHandlers { host.dropPending() }
    await sink.record(.noHostsLeft)
    return .stopPlaybook
  }

  // MARK: Helpers

  func info(for step: Step, handler: Bool) -> StepInfo {
    StepInfo(
      displayName: step.displayName, module: step.moduleName?.rawValue, isHandler: handler,
      source: step.source.description, showsDiff: options.diff && step.showsDiff && !step.noLog)
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
  private func notifyOwedHandlers(_ host: HostRuntime) async -> [HandlerID] {
    guard let owed = await host.loadOwed() else { return [] }
    let known = owed.filter { name in host.program.handlers.contains { $0.qualifiedName == name } }
    for name in known { host.notify(name) }
    return known
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
