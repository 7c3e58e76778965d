import Synchronization

/// Blocks: `block`, then `rescue` for the hosts that failed, then `always` for every host.
extension PlayExecution {
  /// One part (`block`, `rescue` or `always`) of a block being run: the hosts that failed in
  /// it, which leave it, and whether their failure is caught by a rescue — this block's, or
  /// an enclosing one's while in its `block` part (Ansible's `is_any_block_rescuing`).
  final class BlockPart: Sendable {
    let failed = Mutex<Set<String>>([])
    let rescuing: Bool
    init(rescuing: Bool) { self.rescuing = rescuing }

    func hasFailed(_ host: HostRuntime) -> Bool { failed.withLock { $0.contains(host.name) } }
  }

  /// Runs a block's parts; returns the hosts whose failure escaped it (to the enclosing part,
  /// or, at the top, to failing the host). `always` runs on every host that entered,
  /// failed or not; a failed host with no rescue stops after it.
  func runBlock(
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
}
