/// The result of one step on one host (or of one loop item), as Ansible's result dict carries
/// it, but typed. `json` is the registered form (`register:`) and the JSON output's form.
public struct StepResult: Sendable {
  public enum Status: String, Sendable, Hashable {
    case ok, changed, skipped, failed, unreachable
  }

  public var changed = false
  public var failed = false
  public var skipped = false
  public var unreachable = false
  /// A failure that `ignore_errors` let pass.
  public var ignored = false
  public var message: String?
  public var skipReason: String?
  public var falseCondition: String?
  /// Outputs of the commands the step ran, last one exposed as `rc`/`stdout`/`stderr`.
  public var commandOutput: CommandOutput?
  public var attempts: Int?
  public var diffs: [Diff] = []
  /// Summaries of the changes made or predicted ("write /etc/x").
  public var changes: [String] = []
  /// The module's result values (`path`, `state`, `backup_file`, `rc`, …): `Plan.values`,
  /// plus what a `ResultBuildingModule` built from its commands' outputs.
  public var values: [String: JSONValue] = [:]
  /// Per-item results of a loop.
  public var items: [StepResult]?
  /// The loop item this result is for, and how it is displayed.
  public var item: JSONValue?
  public var itemVariable = "item"
  public var itemLabel: String?
  /// Hide the whole result (`no_log`).
  public var censored = false
  /// The step ran in check mode (`--check`, or its own `check_mode: true`): nothing was
  /// applied, so a handler that ran so stays recorded for what it was notified for.
  public var simulated = false
  /// How the console shows the result without `-v` (`debug`, `assert`: always).
  public var display: ResultDisplay = .onVerbose
  /// The value `failed_when` gave, reported as Ansible's `failed_when_result`.
  public var failedWhenResult: Bool?

  public init() {}

  public var status: Status {
    if unreachable { return .unreachable }
    if failed && !ignored { return .failed }
    if skipped { return .skipped }
    return changed ? .changed : .ok
  }

  public static func skipped(_ reason: String, condition: String? = nil) -> StepResult {
    var result = StepResult()
    result.skipped = true
    result.skipReason = reason
    result.falseCondition = condition
    return result
  }

  public static func failure(_ message: String) -> StepResult {
    var result = StepResult()
    result.failed = true
    result.message = message
    return result
  }

  /// The result as Ansible's JSON result dict (keys sorted when printed).
  public var json: JSONValue {
    if censored {
      return .object([
        "changed": .bool(changed),
        "censored":
          "the output has been hidden due to the fact that 'no_log: true' was specified for this result",
      ])
    }
    var object = values
    object["changed"] = .bool(changed)
    object["failed"] = .bool(failed)
    if skipped { object["skipped"] = .bool(true) }
    if unreachable { object["unreachable"] = .bool(true) }
    if let message { object["msg"] = .string(message) }
    if let skipReason { object["skip_reason"] = .string(skipReason) }
    if let falseCondition { object["false_condition"] = .string(falseCondition) }
    if let attempts { object["attempts"] = .int(attempts) }
    if let failedWhenResult { object["failed_when_result"] = .bool(failedWhenResult) }
    if let output = commandOutput {
      object["rc"] = .int(Int(output.exitCode))
      let stdout = output.stdout.trimmingTrailingNewline
      let stderr = output.stderr.trimmingTrailingNewline
      object["stdout"] = .string(stdout)
      object["stderr"] = .string(stderr)
      object["stdout_lines"] = .array(stdout.splitLines.map(JSONValue.string))
      object["stderr_lines"] = .array(stderr.splitLines.map(JSONValue.string))
    }
    if let items {
      object["results"] = .array(items.map(\.json))
    }
    if !diffs.isEmpty {
      object["diff"] = .array(diffs.map(\.json))
    }
    if let item {
      object[itemVariable] = item
      object["ansible_loop_var"] = .string(itemVariable)
    }
    return .object(object)
  }
}

extension String {
  var trimmingTrailingNewline: String {
    hasSuffix("\n") ? String(dropLast()) : self
  }

  var splitLines: [String] {
    isEmpty ? [] : split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}

extension Diff {
  /// Ansible's diff dict; a hidden (secret) diff carries no content.
  var json: JSONValue {
    var object: [String: JSONValue] = [:]
    if let beforeHeader { object["before_header"] = .string(beforeHeader) }
    if let afterHeader { object["after_header"] = .string(afterHeader) }
    if !isHidden {
      object["before"] = .string(before)
      object["after"] = .string(after)
    }
    return .object(object)
  }
}
