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
  var forceHandlers: Bool { play.forceHandlers ?? options.forceHandlers }

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
        // either); the hosts' pending-handler records keep what is pending for the next run.
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

  // MARK: Sections and steps

  func runSection(
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

  /// `asHandlers`: the rows are a handler's included file, whose steps print as handlers.
  func runRows(
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

  /// `--step`: whether the operator lets `step` run (always, without `--step`).
  func isConfirmed(_ step: StepInfo) async -> Bool {
    guard let confirmation = options.stepConfirmation else { return true }
    return await confirmation.shouldRun(step)
  }

  /// Runs a step on every participating host, `forks` at a time, then reports in inventory
  /// order. `run_once` runs on the first host and gives its result to all.
  func runStep(
    _ step: Step, perHost: [String: Step?], hosts: [HostRuntime], run: BatchRun, part: BlockPart?,
    asHandler: Bool
  ) async {
    let info = info(for: step, handler: asHandler)
    guard await isConfirmed(info) else { return }
    await sink.record(.stepStarted(info))
    let runOnce = hosts.first.map { isRunOnce(step, on: $0) } ?? false
    let targets = runOnce ? Array(hosts.prefix(1)) : hosts
    let magic = magicNames(run)
    let outcomes = await runBounded(targets) {
      host -> (StepExecutor.Outcome, [HandlerIdentity]) in
      guard let hostStep = perHost[host.name] ?? nil else {
        return (StepExecutor.Outcome(result: .skipped("Conditional result was False")), [])
      }
      await self.prefetchReads(host, from: hostStep)
      let recorded = await self.notifyRecordedHandlers(host)
      return (await self.executor.execute(hostStep, info: info, on: host, magic: magic), recorded)
    }
    await reportRecordWarnings(targets)
    for (host, (_, recorded)) in zip(targets, outcomes) where !recorded.isEmpty {
      await sink.record(
        .warning(
          "\(host.name): running handlers an earlier run left pending: "
            + recorded.map(\.description).joined(separator: ", ")))
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
  func isRunOnce(_ step: Step, on host: HostRuntime) -> Bool {
    let scope = StepScope(for: step, host: host.host, variables: host.variables)
    return (try? step.runOnce?.holds(in: scope)) ?? false
  }

  func record(
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
    // A handler that really ran is no longer recorded (one that only simulated stays recorded).
    if info.isHandler && !result.simulated, let handler = host.program.handler(running: step) {
      host.forgetRecorded(handler.identity)
    }
    notify(outcome.notifications, host: host, from: step.role)
    for notification in outcome.notifications {
      for handler in host.program.handlers(answering: notification, from: step.role) {
        await sink.record(.handlerNotified(host: host.name, handler: handler.step.displayName))
      }
    }
  }

  func moduleText(_ step: Step) -> JSONValue {
    step.moduleName.map { .string($0.rawValue) } ?? .null
  }

  func notify(_ notifications: [HandlerID], host: HostRuntime, from role: RoleName?) {
    for notification in notifications {
      for handler in host.program.handlers(answering: notification, from: role) {
        host.notify(handler.identity)
      }
    }
  }

  /// A failure in a block's part leaves that part (the block decides what follows); at the
  /// top of a section it fails the host.
  func fail(_ host: HostRuntime, in part: BlockPart?) {
    if let part {
      part.failed.withLock { _ = $0.insert(host.name) }
    } else {
      host.mark(.failed)
      if !forceHandlers { host.dropPending() }
    }
  }

  // MARK: Helpers

  func info(for step: Step, handler: Bool) -> StepInfo {
    StepInfo(
      displayName: step.displayName, module: step.moduleName?.rawValue, isHandler: handler,
      source: step.source.description, showsDiff: options.diff && step.showsDiff && !step.noLog)
  }

  /// Fills a host's read cache with every read its remaining steps will make, in one prefetch,
  /// when the cache went cold (start of play, or after a change).
  func prefetchReads(_ host: HostRuntime, from step: Step) async {
    guard !host.prefetchIsCurrent else { return }
    host.prefetchIsCurrent = true
    let program = host.program
    let steps = program.preSteps + program.mainSteps + program.postSteps
    let start = steps.firstIndex { $0.source == step.source && $0.name == step.name } ?? 0
    await Prefetcher.prefetch(steps[start...], on: host)
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
