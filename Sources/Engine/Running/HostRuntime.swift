import Synchronization

/// The state of one host during a run: its connection, read cache, variables with registered
/// results, pending handler notifications, and counters. Steps on one host run one at a time
/// (lockstep), so this is touched by one task at a time; the lock keeps that honest.
final class HostRuntime: Sendable {
  /// `ended`: done with this play without failing (`meta: end_host`, `end_play`, or a failure
  /// cleared by `clear_host_errors`); `stopped`: held back by another host's fatal failure
  /// (`any_errors_fatal`), not failed itself.
  enum Status: Sendable { case active, failed, unreachable, ended, stopped }

  private struct State {
    var variables: Variables
    var pending: [HandlerIdentity] = []
    var status: Status = .active
    var stats = HostStats()
    var program: HostProgram
    var cacheIsWarm = false
    var hasPrefetched = false
    /// What the host's pending-handler record holds; nil until read in this play.
    var owed: [HandlerIdentity]?
    var ledgerDirectoryMade = false
    var ledgerIsStale = false
    /// Problems with the record, for the play to report as warnings.
    var ledgerWarnings: [String] = []
    var ledgerWriteFailed = false
  }

  let host: InventoryHost
  let connection: any Connection
  let cache = ReadCache()
  let reader: HostReader
  let executor: ActionExecutor
  let ledger: PendingHandlerLedger
  /// The module values made for this host, shared by validation, the probe batch and the run.
  let modules: ResolvedModules
  private let state: Mutex<State>

  init(
    host: InventoryHost, connection: any Connection, program: HostProgram, variables: Variables,
    modules: ResolvedModules = ResolvedModules(), ledger: PendingHandlerLedger
  ) {
    self.host = host
    self.modules = modules
    self.ledger = ledger
    self.connection = connection
    self.reader = HostReader(connection: connection, cache: cache)
    self.executor = ActionExecutor(connection: connection, cache: cache)
    self.state = Mutex(State(variables: variables, program: program))
  }

  var name: String { host.name }
  var variables: Variables { state.withLock { $0.variables } }
  var program: HostProgram { state.withLock { $0.program } }
  var status: Status { state.withLock { $0.status } }
  var isActive: Bool { status == .active }
  var stats: HostStats {
    state.withLock { state in
      var stats = state.stats
      stats.roundTrips = (connection as? any RoundTripCounting)?.roundTrips ?? 0
      return stats
    }
  }

  func register(_ name: String, _ value: JSONValue) {
    state.withLock { $0.variables.register(name, value) }
  }

  func mark(_ status: Status) {
    state.withLock { if $0.status == .active { $0.status = status } }
  }

  /// `meta: clear_host_errors`: a failed host no longer counts as failed (it stays out of the
  /// rest of this play, as in ansible-core).
  func clearFailure() {
    state.withLock { if $0.status == .failed { $0.status = .ended } }
  }

  func count(_ update: (inout HostStats) -> Void) {
    state.withLock { update(&$0.stats) }
  }

  // MARK: Handlers

  /// Adds a notification (once: re-notifying a pending handler changes nothing).
  func notify(_ handler: HandlerIdentity) {
    state.withLock { if !$0.pending.contains(handler) { $0.pending.append(handler) } }
  }

  func isPending(_ handler: HandlerIdentity) -> Bool {
    state.withLock { $0.pending.contains(handler) }
  }

  func clearPending(_ handler: HandlerIdentity) {
    state.withLock { $0.pending.removeAll { $0 == handler } }
  }

  /// A failed host loses its notifications (unless handlers are forced).
  func dropPending() { state.withLock { $0.pending.removeAll() } }

  var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

  // MARK: Pending-handler record

  /// Reads the host's record once per play; returns the handlers it holds. A record that
  /// cannot be read or parsed may have held any of them: every handler of the play is owed
  /// (an extra restart beats a lost one).
  func loadOwed() async -> [HandlerIdentity]? {
    if state.withLock({ $0.owed != nil }) { return nil }
    let owed: [HandlerIdentity]
    do {
      // A recorded name this play has no handler for is dropped: nothing can run it.
      let recorded = try await ledger.read(through: reader)
      owed = program.handlers.map(\.identity).filter { recorded.contains($0.description) }
    } catch is HostUnreachable {
      owed = []
    } catch is HostNotLocked {
      owed = []  // another run holds the host: the first step fails with why, nothing runs
    } catch {
      owed = program.handlers.map(\.identity)
      warn(
        "the pending-handler record \(ledger.path) cannot be read (\(error)); every handler "
          + "of the play is taken as owed")
    }
    state.withLock { $0.owed = owed }
    return owed
  }

  /// Records, before a change is applied, the handlers it will notify (a no-op when the
  /// record already holds them). A record that cannot be written does not stop the change.
  func owe(_ handlers: [HandlerIdentity]) async {
    let (owed, makeDirectory) = state.withLock { state -> ([HandlerIdentity]?, Bool) in
      let current = state.owed ?? []
      let missing = handlers.filter { !current.contains($0) }
      guard !missing.isEmpty else { return (nil, false) }
      state.owed = current + missing
      defer { state.ledgerDirectoryMade = true }
      return (state.owed, !state.ledgerDirectoryMade)
    }
    guard let owed else { return }
    await write(owed, makingDirectory: makeDirectory)
  }

  /// A handler ran: the host no longer owes it (written at the end of the flush).
  func settle(_ handler: HandlerIdentity) {
    state.withLock { state in
      guard let owed = state.owed, owed.contains(handler) else { return }
      state.owed = owed.filter { $0 != handler }
      state.ledgerIsStale = true
    }
  }

  /// A step recorded `recorded` before its change, then, judged, notified only `notified`
  /// (`changed_when` false, a failure ignored or not): the others are forgotten unless
  /// pending anyway, and the record is saved, so the next run does not run them for nothing.
  func forgetUnnotified(_ recorded: [HandlerIdentity], notified: [HandlerIdentity]) async {
    state.withLock { state in
      let stale = recorded.filter { !notified.contains($0) && !state.pending.contains($0) }
      guard let owed = state.owed, owed.contains(where: stale.contains) else { return }
      state.owed = owed.filter { !stale.contains($0) }
      state.ledgerIsStale = true
    }
    await saveLedger()
  }

  /// Writes the record if handlers were settled since it was last written.
  func saveLedger() async {
    let owed = state.withLock { state -> [HandlerIdentity]? in
      guard state.ledgerIsStale else { return nil }
      state.ledgerIsStale = false
      return state.owed ?? []
    }
    guard let owed else { return }
    await write(owed, makingDirectory: false, afterSteps: true)
  }

  /// A failed write is reported once per play: every later change would only repeat it.
  /// `afterSteps`: no step is running to report a lost connection, so it is reported here —
  /// the host is unreachable in the recap (the record still owes what already ran, and the
  /// next run would repeat it), never a quiet exit 0.
  private func write(_ owed: [HandlerIdentity], makingDirectory: Bool, afterSteps: Bool = false)
    async
  {
    do {
      try await ledger.write(
        owed.map(\.description), through: executor, makingDirectory: makingDirectory)
    } catch let error as HostUnreachable {
      guard afterSteps, isActive else { return }  // else the step reports it
      mark(.unreachable)
      count { $0.unreachable += 1 }
      warn(
        "the connection was lost before the pending-handler record \(ledger.path) was updated "
          + "(\(error.message)); the next run repeats the handlers it still lists")
    } catch {
      let first = state.withLock { state in
        defer { state.ledgerWriteFailed = true }
        return !state.ledgerWriteFailed
      }
      if first {
        warn("the pending-handler record \(ledger.path) cannot be written: \(error)")
      }
    }
  }

  private func warn(_ message: String) {
    state.withLock { $0.ledgerWarnings.append("\(host.name): \(message)") }
  }

  /// The record's problems since the last call, to be reported as warnings.
  func takeLedgerWarnings() -> [String] {
    state.withLock { state in
      defer { state.ledgerWarnings = [] }
      return state.ledgerWarnings
    }
  }

  // MARK: Read cache

  /// Whether reads since the last change were prefetched; any change cools the cache.
  var cacheIsWarm: Bool {
    get { state.withLock { $0.cacheIsWarm } }
    set { state.withLock { $0.cacheIsWarm = newValue } }
  }

  /// Whether this play already asked this host for a batch of probes.
  var hasPrefetched: Bool {
    get { state.withLock { $0.hasPrefetched } }
    set { state.withLock { $0.hasPrefetched = newValue } }
  }
}
