import Synchronization

/// How a run behaves: the CLI flags that change semantics (not presentation).
public struct RunOptions: Sendable {
  /// `--check`: plan everything, change nothing.
  public var checkMode: Bool
  /// `--diff`: changes carry their diffs to reporters.
  public var diff: Bool
  /// `--forks`: how many hosts run a step at once.
  public var forks: Int
  /// `--force-handlers`: run notified handlers even on hosts that failed.
  public var forceHandlers: Bool
  /// `--limit` pattern, applied to every play's hosts.
  public var limit: String?
  /// `-e`: extra variables, highest precedence.
  public var extraVariables: [String: JSONValue]
  /// The runner's environment, readable as `{{ env.NAME }}`.
  public var environment: [String: String]
  /// Renders `template: {src: …}` files on this machine.
  public var templates: (any TemplateSource)?
  /// Reads `copy: {src: …}` files on this machine.
  public var files: (any PlaybookFileSource)?
  /// `--lock-timeout`: how many seconds to wait for a host's run lock another run holds.
  public var lockTimeout: Int
  /// Values known to be secret before any role says so (what came out of a vault): masked in
  /// every problem and every line the run prints.
  public var knownSecrets: [String] = []
  /// `--syntax-check`: the playbook is judged, not the inventory, so a host pattern that
  /// matches no host is a warning (as in ansible-playbook), not an error.
  public var syntaxCheckOnly = false
  /// `-v` count: what modules may show (`debug`'s `verbosity`), not how the console prints.
  public var verbosity = 0
  /// `--tags`/`--skip-tags`.
  public var tags = TagSelection.everything
  /// `--start-at-task`: steps before the first one of this name (or glob) do not run, in
  /// this play or the ones before it.
  public var startAtTask: String?
  /// `--step`: asked before each step; nil runs every step.
  public var stepConfirmation: (any StepConfirming)?

  public init(
    checkMode: Bool = false, diff: Bool = false, forks: Int = 5, forceHandlers: Bool = false,
    limit: String? = nil, extraVariables: [String: JSONValue] = [:],
    environment: [String: String] = [:], templates: (any TemplateSource)? = nil,
    files: (any PlaybookFileSource)? = nil, lockTimeout: Int = RunOptions.defaultLockTimeout
  ) {
    self.lockTimeout = lockTimeout
    self.checkMode = checkMode
    self.diff = diff
    self.forks = forks
    self.forceHandlers = forceHandlers
    self.limit = limit
    self.extraVariables = extraVariables
    self.environment = environment
    self.templates = templates
    self.files = files
  }
}

extension RunOptions {
  /// Five minutes: longer than a rolling restart of a few instances, short enough that a run
  /// stuck behind a hung one fails while someone still watches.
  public static let defaultLockTimeout = 300
}

/// Lets the CLI stop a run between steps (Ctrl-C): the current step finishes on every host,
/// then the run ends with its recap.
public final class StopSignal: Sendable {
  private let flag = Atomic<Bool>(false)
  public init() {}
  public func stop() { flag.store(true, ordering: .relaxed) }
  public var isStopped: Bool { flag.load(ordering: .relaxed) }
}

/// A connection that counts its round trips (one remote program run = one), for `-v` and the
/// JSON output. Discovered with `as? any RoundTripCounting`.
public protocol RoundTripCounting: Sendable {
  var roundTrips: Int { get }
}
