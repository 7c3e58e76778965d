/// Per-host counters of the PLAY RECAP.
public struct HostStats: Sendable, Hashable {
  public var ok = 0
  public var changed = 0
  public var unreachable = 0
  public var failed = 0
  public var skipped = 0
  public var rescued = 0
  public var ignored = 0
  /// Round trips to the host (commands run, files read or written over its connection).
  public var roundTrips = 0
  /// `meta: clear_host_errors` ran after the host's last failure: the recap still counts
  /// it, but it does not make the run fail (ansible-core clears its failed hosts).
  public var failuresCleared = false

  public init() {}
}

/// The recap of a whole run, and the exit status it implies.
public struct PlayRecap: Sendable, Hashable {
  public var stats: [String: HostStats]
  /// Set when the run stopped on Ctrl-C.
  public var interrupted: Bool

  public init(stats: [String: HostStats] = [:], interrupted: Bool = false) {
    self.stats = stats
    self.interrupted = interrupted
  }

  /// ansible-playbook's exit codes: 0 ok, 2 a host failed, 4 a host unreachable, 99 interrupted.
  public var exitCode: Int32 {
    if interrupted { return 99 }
    // Unreachable before failed, as ansible-playbook's strategy checks them.
    let counted = stats.values.filter { !$0.failuresCleared }
    if counted.contains(where: { $0.unreachable > 0 }) { return 4 }
    if counted.contains(where: { $0.failed > 0 }) { return 2 }
    return 0
  }

  public var totalChanged: Int { stats.values.reduce(0) { $0 + $1.changed } }
}
