/// Everything a run reports, as one stream. Reporters (console, JSON, tests) only format it.
public enum Event: Sendable {
  case playStarted(PlayInfo)
  case stepStarted(StepInfo)
  /// The result of a step on one host; loop item results are inside.
  case hostResult(host: String, step: StepInfo, result: StepResult)
  /// `FAILED - RETRYING: [h]: name (N retries left).`
  case retrying(host: String, step: StepInfo, retriesLeft: Int, result: StepResult)
  /// A handler was notified (`-vv`: `NOTIFIED HANDLER name for host`).
  case handlerNotified(host: String, handler: String)
  case warning(String)
  /// A change on one host has been running for `seconds` (a long wait: a health-gated
  /// restart, a drain); sent while it runs, every `LongWait.interval`.
  case waiting(host: String, step: StepInfo, change: String, seconds: Int)
  /// Another run holds the host's run lock; this one has waited `seconds` so far.
  case waitingForLock(host: String, seconds: Int)
  /// Verbose detail for one host (`-v`/`-vvv`), e.g. the round trips spent.
  case detail(host: String?, message: String, verbosity: Int)
  /// `included: FILE for h1, h2` (`include_tasks`), with the loop item's label in a loop.
  case included(file: String, hosts: [String], step: StepInfo, item: String?)
  /// `NO MORE HOSTS LEFT` (past max_fail_percentage).
  case noHostsLeft
  case playFinished(PlayInfo)
  /// The end of the run with the recap.
  case finished(PlayRecap)
}

/// A play as reporters see it.
public struct PlayInfo: Sendable, Hashable {
  public var name: String
  public var hosts: [String]
  public var source: String
  public var checkMode: Bool

  public init(name: String, hosts: [String], source: String, checkMode: Bool) {
    self.name = name
    self.hosts = hosts
    self.source = source
    self.checkMode = checkMode
  }
}

/// A step as reporters see it.
public struct StepInfo: Sendable, Hashable {
  /// `role : name` for role steps.
  public var displayName: String
  public var module: String?
  public var isHandler: Bool
  public var source: String
  /// Show diffs for this step (`--diff` and not `diff: false` / `no_log`).
  public var showsDiff: Bool

  public init(
    displayName: String, module: String?, isHandler: Bool, source: String, showsDiff: Bool
  ) {
    self.displayName = displayName
    self.module = module
    self.isHandler = isHandler
    self.source = source
    self.showsDiff = showsDiff
  }
}

/// Receives events. Console output, JSON output and test capture are all sinks.
public protocol EventSink: Sendable {
  func record(_ event: Event) async
}

/// Several sinks as one.
public struct EventFanOut: EventSink {
  public var sinks: [any EventSink]
  public init(_ sinks: [any EventSink]) { self.sinks = sinks }
  public func record(_ event: Event) async {
    for sink in sinks { await sink.record(event) }
  }
}
