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
    var prefetchIsCurrent = false
    var hasPrefetched = false
    /// What the host's pending-handler record holds; nil until read in this play.
    var recorded: [HandlerIdentity]?
    var recordDirectoryMade = false
    var recordIsStale = false
    /// Problems with the record, for the play to report as warnings.
    var recordWarnings: [String] = []
    var recordWriteFailed = false
  }

  let host: InventoryHost
  let connection: any Connection
  let cache = ReadCache()
  let reader: HostReader
  let executor: ActionExecutor
  let handlerRecord: PendingHandlerRecord
  /// The module values made for this host, shared by validation, the prefetch and the run.
  let modules: ResolvedModules
  private let state: Mutex<State>

  init(
    host: InventoryHost, connection: any Connection, program: HostProgram, variables: Variables,
    modules: ResolvedModules = ResolvedModules(), handlerRecord: PendingHandlerRecord
  ) {
    self.host = host
    self.modules = modules
    self.handlerRecord = handlerRecord
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
  /// cannot be read or parsed may have held any of them: every handler of the play is recorded
  /// (an extra restart beats a lost one).
  func loadRecorded() async -> [HandlerIdentity]? {
    if state.withLock({ $0.recorded != nil }) { return nil }
    let recorded: [HandlerIdentity]
    do {
      // A recorded name this play has no handler for is dropped: nothing can run it.
      let listed = try await handlerRecord.read(through: reader)
      recorded = program.handlers.map(\.identity).filter { listed.contains($0.description) }
    } catch is HostUnreachable {
      recorded = []
    } catch is HostNotLocked {
      recorded = []  // another run holds the host: the first step fails with why, nothing runs
    } catch {
      recorded = program.handlers.map(\.identity)
      warn(
        "the pending-handler record \(handlerRecord.path) cannot be read (\(error)); every handler "
          + "of the play is taken as owed")
    }
    state.withLock { $0.recorded = recorded }
    return recorded
  }

  /// Records, before a change is applied, the handlers it will notify (a no-op when the
  /// record already holds them). A record that cannot be written does not stop the change.
  func recordPending(_ handlers: [HandlerIdentity]) async {
    let (recorded, makeDirectory) = state.withLock { state -> ([HandlerIdentity]?, Bool) in
      let current = state.recorded ?? []
      let missing = handlers.filter { !current.contains($0) }
      guard !missing.isEmpty else { return (nil, false) }
      state.recorded = current + missing
      defer { state.recordDirectoryMade = true }
      return (state.recorded, !state.recordDirectoryMade)
    }
    guard let recorded else { return }
    await write(recorded, makingDirectory: makeDirectory)
  }

  /// A handler ran: it is no longer recorded (written at the end of the flush).
  func forgetRecorded(_ handler: HandlerIdentity) {
    state.withLock { state in
      guard let recorded = state.recorded, recorded.contains(handler) else { return }
      state.recorded = recorded.filter { $0 != handler }
      state.recordIsStale = true
    }
  }

  /// A step recorded `recorded` before its change, then, judged, notified only `notified`
  /// (`changed_when` false, a failure ignored or not): the others are forgotten unless
  /// pending anyway, and the record is saved, so the next run does not run them for nothing.
  func forgetUnnotified(_ recorded: [HandlerIdentity], notified: [HandlerIdentity]) async {
    state.withLock { state in
      let stale = recorded.filter { !notified.contains($0) && !state.pending.contains($0) }
      guard let recorded = state.recorded, recorded.contains(where: stale.contains) else { return }
      state.recorded = recorded.filter { !stale.contains($0) }
      state.recordIsStale = true
    }
    await saveHandlerRecord()
  }

  /// Writes the record if handlers were settled since it was last written.
  func saveHandlerRecord() async {
    let recorded = state.withLock { state -> [HandlerIdentity]? in
      guard state.recordIsStale else { return nil }
      state.recordIsStale = false
      return state.recorded ?? []
    }
    guard let recorded else { return }
    await write(recorded, makingDirectory: false, afterSteps: true)
  }

  /// A failed write is reported once per play: every later change would only repeat it.
  /// `afterSteps`: no step is running to report a lost connection, so it is reported here —
  /// the host is unreachable in the recap (the record still lists what already ran, and the
  /// next run would repeat it), never a quiet exit 0.
  private func write(_ recorded: [HandlerIdentity], makingDirectory: Bool, afterSteps: Bool = false)
    async
  {
    do {
      try await handlerRecord.write(
        recorded.map(\.description), through: executor, makingDirectory: makingDirectory)
    } catch let error as HostUnreachable {
      guard afterSteps, isActive else { return }  // else the step reports it
      mark(.unreachable)
      count { $0.unreachable += 1 }
      warn(
        "the connection was lost before the pending-handler record \(handlerRecord.path) was updated "
          + "(\(error.message)); the next run repeats the handlers it still lists")
    } catch {
      let first = state.withLock { state in
        defer { state.recordWriteFailed = true }
        return !state.recordWriteFailed
      }
      if first {
        warn("the pending-handler record \(handlerRecord.path) cannot be written: \(error)")
      }
    }
  }

  private func warn(_ message: String) {
    state.withLock { $0.recordWarnings.append("\(host.name): \(message)") }
  }

  /// The record's problems since the last call, to be reported as warnings.
  func takeRecordWarnings() -> [String] {
    state.withLock { state in
      defer { state.recordWarnings = [] }
      return state.recordWarnings
    }
  }

  // MARK: Read cache

  /// Whether reads since the last change were prefetched; any change makes it stale.
  var prefetchIsCurrent: Bool {
    get { state.withLock { $0.prefetchIsCurrent } }
    set { state.withLock { $0.prefetchIsCurrent = newValue } }
  }

  /// Whether this play already prefetched for this host.
  var hasPrefetched: Bool {
    get { state.withLock { $0.hasPrefetched } }
    set { state.withLock { $0.hasPrefetched = newValue } }
  }
}
