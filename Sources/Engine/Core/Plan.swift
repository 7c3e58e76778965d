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
