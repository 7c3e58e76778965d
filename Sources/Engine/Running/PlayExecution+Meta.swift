import Synchronization

/// `meta:` actions, the batch state they change, and the play's magic variables.
extension PlayExecution {
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

  /// `meta:` actions; `when` is honoured per host, as for any step.
  func runMeta(
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
    let magic = magicNames(run)  // one value for every host
    for host in judged {
      guard let hostStep = perHost[host.name] ?? nil else { continue }
      let scope = StepScope(
        for: hostStep, host: host.host, variables: host.variables, magic: magic)
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

  /// The play's magic variables as a step sees them (one value shared by every host).
  /// `hostvars` is built only for a play that names it: it holds every host's variables.
  func magicNames(_ run: BatchRun) -> [String: JSONValue] {
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
}
