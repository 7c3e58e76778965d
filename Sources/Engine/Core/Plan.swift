/// What a module found it must do on a host. An empty plan means the host already matches:
/// there is no `changed` flag to forget to set.
public struct Plan: Sendable {
  public var changes: [Change]
  /// Why nothing needs doing, or a short remark on what will be done.
  public var note: String?
  /// The result values the step reports (and `register` keeps), e.g. `path`, `state`,
  /// `stdout`: the module's own keys, not host facts.
  public var values: [String: JSONValue]
  /// Set when the plan cannot be predicted without acting (a `command`): in check mode the
  /// step is skipped with this reason instead of being reported as changed.
  public var unpredictableReason: String?
  /// Set when the step fails without touching the host (`fail`, a false `assert`): the
  /// result is failed with this message, and nothing is applied.
  public var failure: String?
  /// Set: the step is skipped on this host for this reason (`debug` above the run's
  /// verbosity: "Verbosity threshold not met.").
  public var skipReason: String?
  /// Host variables the step sets (`set_fact`), in check mode as in a real run: they sit with
  /// registered results, above play vars and below extra vars.
  public var definedVariables: [String: JSONValue] = [:]
  /// How the console shows the result without `-v`.
  public var display: ResultDisplay = .onVerbose

  public init(
    _ changes: [Change] = [], note: String? = nil, values: [String: JSONValue] = [:],
    unpredictableReason: String? = nil
  ) {
    self.changes = changes
    self.note = note
    self.values = values
    self.unpredictableReason = unpredictableReason
  }

  /// The plan of a step that fails on the controller, with the result keys it reports.
  public static func failing(_ message: String, values: [String: JSONValue] = [:]) -> Plan {
    var plan = Plan(values: values)
    plan.failure = message
    return plan
  }

  /// The plan of a module whose host already matches.
  public static func unchanged(_ note: String? = nil, values: [String: JSONValue] = [:]) -> Plan {
    Plan([], note: note, values: values)
  }

  public var isEmpty: Bool { changes.isEmpty }
}

/// One change a module wants, with the diff a reader sees and the actions that make it.
public struct Change: Sendable, Hashable {
  public var summary: String
  public var diff: Diff?
  public var actions: [Action]
  /// False for upkeep that runs but is not a change of the host's state, so a plan made only
  /// of such changes leaves the step `ok`: Ansible's `systemd` `daemon_reload` reloads on
  /// every run yet never reports changed (#77606), and a converged playbook must still
  /// re-run with `changed=0`. Like any change it is skipped in check mode.
  public var reportsChanged: Bool
  /// Read-only commands whose output explains a failed action of this change (a unit's
  /// state and last journal lines after a failed start), shown with the failure.
  public var diagnosis: [Command]

  public init(
    _ summary: String, diff: Diff? = nil, actions: [Action], reportsChanged: Bool = true,
    diagnosis: [Command] = []
  ) {
    self.summary = summary
    self.diff = diff
    self.actions = actions
    self.reportsChanged = reportsChanged
    self.diagnosis = diagnosis
  }
}

/// An effect on a host, carried out by the engine through its `Connection`.
public enum Action: Sendable, Hashable {
  /// Runs a command; any exit status other than those accepted fails the step.
  case run(Command, acceptedExitCodes: Set<Int32> = [0])
  /// Writes a file atomically.
  case write(FileWrite)
}

/// Before/after text of a change, rendered as a unified diff under `--diff`.
public struct Diff: Sendable, Hashable {
  public var before: String
  public var after: String
  public var beforeHeader: String?
  public var afterHeader: String?
  /// Content hidden (a secret file); only the headers and a notice are shown.
  public var isHidden: Bool

  public init(
    before: String, after: String, beforeHeader: String? = nil, afterHeader: String? = nil,
    isHidden: Bool = false
  ) {
    self.before = before
    self.after = after
    self.beforeHeader = beforeHeader
    self.afterHeader = afterHeader
    self.isHidden = isHidden
  }

  /// A diff of attributes as Ansible's file module shows it: two sorted JSON objects.
  public static func attributes(
    before: [String: JSONValue], after: [String: JSONValue]
  ) -> Diff {
    Diff(
      before: JSONValue.object(before).prettyJSON() + "\n",
      after: JSONValue.object(after).prettyJSON() + "\n")
  }
}

/// Whether the console prints a result's keys at verbosity 0. Ansible's `debug` and `assert`
/// results carry `_ansible_verbose_always`; `debug` also leaves out its `changed` key.
public enum ResultDisplay: Sendable, Hashable {
  case onVerbose
  case always
  case alwaysWithoutChanged
}
