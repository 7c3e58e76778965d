import Synchronization

/// Handlers: flushing them in definition order, and the pending-handler records.
extension PlayExecution {
  /// Runs notified handlers in definition order, once per host; a handler notified by a
  /// later-defined one runs in this flush, by an earlier-defined one at the next flush. An
  /// interrupt stops it before the next handler; the rest stay recorded. Inside a
  /// block, a handler's failure is a failure of that block part.
  func flush(_ hosts: [HostRuntime], run: BatchRun, part: BlockPart?) async {
    guard hosts.contains(where: \.hasPending) else { return }
    let rows = StepAlignment.align(hosts.map { $0.program.handlers.map(\.step) })
    for row in rows where !stopSignal.isStopped {
      guard let representative = row.representative else { continue }
      // The hosts this handler is pending on, with the handler as each host knows it.
      let pending = hosts.enumerated().compactMap { index, host -> (Int, HostRuntime, Handler)? in
        guard let step = row.steps[index], let handler = host.program.handler(running: step),
          host.isPending(handler.identity),
          host.isActive || (forceHandlers && host.status == .failed),
          !(part?.hasFailed(host) ?? false)
        else { return nil }
        return (index, host, handler)
      }
      guard !pending.isEmpty else { continue }
      let notified = pending.map { index, host, _ in (offset: index, element: host) }
      for (_, host, handler) in pending { host.clearPending(handler.identity) }
      if case .include(let include) = representative.body {
        // A handler that includes a file: `included:`, then the file's steps as handlers.
        // Run for real, it is no longer recorded (its steps' own failures fail the host).
        if !(representative.checkMode ?? options.checkMode) {
          for (_, host, handler) in pending { host.forgetRecorded(handler.identity) }
        }
        let perHost = Dictionary(
          uniqueKeysWithValues: notified.map { index, host in (host.name, row.steps[index]) })
        await runInclude(
          include, step: representative, perHost: perHost, hosts: notified.map(\.element),
          allHosts: hosts, row: row, run: run, part: part, asHandlers: true)
        continue
      }
      let info = info(for: representative, handler: true)
      // A `meta` handler (`noop`) prints its banner and nothing else.
      if case .meta = representative.body {
        await sink.record(.stepStarted(info))
        continue
      }
      // Skipped at `--step`, a handler stays recorded in the host's pending-handler record.
      guard await isConfirmed(info) else { continue }
      await sink.record(.stepStarted(info))
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
    for host in hosts { await host.saveHandlerRecord() }
    await reportRecordWarnings(hosts)
  }

  /// Problems with the hosts' pending-handler records since the last report, as warnings.
  func reportRecordWarnings(_ hosts: [HostRuntime]) async {
    for host in hosts {
      for warning in host.takeRecordWarnings() { await sink.record(.warning(warning)) }
    }
  }

  /// Once per play and host: the handlers its pending-handler record holds (an earlier run
  /// changed something and stopped before they ran) are notified now.
  func notifyRecordedHandlers(_ host: HostRuntime) async -> [HandlerIdentity] {
    guard let recorded = await host.loadRecorded() else { return [] }
    for handler in recorded { host.notify(handler) }
    return recorded
  }
}
