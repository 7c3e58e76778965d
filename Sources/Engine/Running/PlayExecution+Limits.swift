import Synchronization

/// `any_errors_fatal` and `max_fail_percentage`.
extension PlayExecution {
  /// `any_errors_fatal`: a failure fails every other host of the batch where it stands — in
  /// a block with a rescue that sends it there. `max_fail_percentage`: beyond it the play
  /// stops, and only then does Ansible print NO MORE HOSTS LEFT.
  func checkFailureLimits(
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
}
