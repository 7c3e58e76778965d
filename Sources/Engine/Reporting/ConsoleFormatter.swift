import Foundation

/// The text of ansible-playbook's default stdout callback (2.19, no colours, not a TTY) for
/// each event, kept apart from `ConsoleReporter` so the wording lives in one value type with
/// no locking or I/O. Every returned line ends in `\n`; an event may print nothing.
///
/// Each rule below names the callback method it mirrors (`lib/ansible/plugins/callback/
/// default.py` and `__init__.py` in ansible-core 2.19); `ConsoleReporter` lists the deliberate
/// deviations.
struct ConsoleFormatter {
  /// Off a TTY Ansible's display is 79 columns wide; with the space after the message every
  /// banner line is 80 characters.
  static let bannerColumns = 79

  let showDiff: Bool
  let verbosity: Int
  let checkModeMarkers: Bool

  private var play: PlayInfo?
  /// The step whose banner was printed last; a result for another step reprints its banner
  /// (Ansible's `_last_task_banner`), so a line is never shown under the wrong task.
  private var stepWithBanner: StepInfo?
  private var announcedDryRun = false
  private var sawCheckMode = false

  init(showDiff: Bool, verbosity: Int, checkModeMarkers: Bool) {
    self.showDiff = showDiff
    self.verbosity = verbosity
    self.checkModeMarkers = checkModeMarkers
  }

  mutating func text(for event: Event) -> String {
    switch event {
    case .playStarted(let play):
      return playBanner(play)
    case .stepStarted(let step):
      return stepBanner(step)
    case .hostResult(let host, let step, let result):
      return bannerIfNeeded(for: step) + resultLines(host: host, step: step, result: result)
    case .retrying(let host, let step, let retriesLeft, let result):
      // v2_runner_retry: the full result only from -vvv, glued on without a space.
      var line = "FAILED - RETRYING: [\(host)]: \(step.displayName) (\(retriesLeft) retries left)."
      if verbosity > 2 { line += "Result was: " + dump(result) }
      return line + "\n"
    case .handlerNotified(let host, let handler):
      return verbosity > 1 ? "NOTIFIED HANDLER \(handler) for \(host)\n" : ""
    case .warning(let message):
      return "[WARNING]: \(message)\n"
    case .waiting(let host, let step, let change, let seconds):
      // Not Ansible's (it says nothing while a task runs): what a long step waits for.
      return bannerIfNeeded(for: step) + "  waiting: [\(host)] \(change) (\(seconds) s)\n"
    case .waitingForLock(let host, let seconds):
      return "  waiting: [\(host)] another run holds the host's run lock (\(seconds) s)\n"
    case .detail(let host, let message, let level):
      guard verbosity >= level else { return "" }
      return (host.map { "<\($0)> " } ?? "") + message + "\n"
    case .included(let file, let hosts, let step, let item):
      // v2_playbook_on_include.
      let label = item.map { " => (item=\($0))" } ?? ""
      return bannerIfNeeded(for: step)
        + "included: \(file) for \(hosts.joined(separator: ", "))\(label)\n"
    case .noHostsLeft:
      return Self.banner("NO MORE HOSTS LEFT")
    case .playFinished:
      return ""
    case .finished(let recap):
      return recapText(recap)
    }
  }

  // MARK: Banners

  /// `Display.banner`: an empty line, then the message and stars up to the banner width
  /// (at least three).
  static func banner(_ message: String) -> String {
    let message = message.trimmingCharacters(in: .whitespacesAndNewlines)
    let stars = max(3, bannerColumns - TerminalWidth.of(message))
    return "\n\(message) \(String(repeating: "*", count: stars))\n"
  }

  /// v2_playbook_on_play_start; an unnamed play is named after its hosts (`Play.get_name`).
  private mutating func playBanner(_ play: PlayInfo) -> String {
    self.play = play
    stepWithBanner = nil
    var text = ""
    if play.checkMode {
      sawCheckMode = true
      if checkModeMarkers && !announcedDryRun {
        announcedDryRun = true
        text += Self.banner("DRY RUN")
      }
    }
    let name = play.name.isEmpty ? play.hosts.joined(separator: ",") : play.name
    let marker = checkModeMarkers && play.checkMode ? " [CHECK MODE]" : ""
    return text + Self.banner(name.isEmpty ? "PLAY\(marker)" : "PLAY [\(name)]\(marker)")
  }

  /// `_print_task_banner`, with the task path from -vv.
  private mutating func stepBanner(_ step: StepInfo) -> String {
    stepWithBanner = step
    let prefix = step.isHandler ? "RUNNING HANDLER" : "TASK"
    let marker = checkModeMarkers && play?.checkMode == true ? " [CHECK MODE]" : ""
    let name = step.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
    var text = Self.banner("\(prefix) [\(name)]\(marker)")
    if verbosity >= 2 && !step.source.isEmpty {
      text += "task path: \(step.source)\n"
    }
    return text
  }

  private mutating func bannerIfNeeded(for step: StepInfo) -> String {
    stepWithBanner == step ? "" : stepBanner(step)
  }

  // MARK: Results

  private func resultLines(host: String, step: StepInfo, result: StepResult) -> String {
    guard let items = result.items else {
      return singleResultLines(host: host, step: step, result: result)
    }
    var text = items.map { itemLine(host: host, step: step, item: $0) }.joined()
    // The loop's own result: v2_runner_on_* after `_process_items` removed `results`.
    if result.unreachable {
      text += "fatal: [\(host)]: UNREACHABLE! => \(dump(result))\n"
      if result.ignored { text += "...ignoring\n" }
    } else if result.failed {
      if result.ignored { text += "...ignoring\n" }
    } else if result.skipped {
      text += "skipping: [\(host)]" + verboseSuffix(result, dropping: ["results"]) + "\n"
    }
    return text
  }

  private func singleResultLines(host: String, step: StepInfo, result: StepResult) -> String {
    if result.unreachable {
      let line = "fatal: [\(host)]: UNREACHABLE! => \(dump(result))\n"
      return line + (result.ignored ? "...ignoring\n" : "")
    }
    if result.failed {
      let line = "fatal: [\(host)]: FAILED! => \(dump(result))\n"
      return line + (result.ignored ? "...ignoring\n" : "")
    }
    if result.skipped {
      return "skipping: [\(host)]" + verboseSuffix(result) + "\n"
    }
    let status = result.changed ? "changed" : "ok"
    return diffText(step: step, result: result) + "\(status): [\(host)]"
      + verboseSuffix(result) + "\n"
  }

  /// v2_runner_item_on_failed / _skipped / _ok; the skip line keeps Ansible's trailing space.
  private func itemLine(host: String, step: StepInfo, item: StepResult) -> String {
    let label = Self.itemLabel(item)
    if item.failed || item.unreachable {
      return "failed: [\(host)] (item=\(label)) => \(dump(item))\n"
    }
    if item.skipped {
      return "skipping: [\(host)] => (item=\(label)) " + verboseSuffix(item) + "\n"
    }
    let status = item.changed ? "changed" : "ok"
    return diffText(step: step, result: item) + "\(status): [\(host)] => (item=\(label))"
      + verboseSuffix(item) + "\n"
  }

  /// v2_on_file_diff: the diffs of a changed result, printed before its status line.
  private func diffText(step: StepInfo, result: StepResult) -> String {
    guard showDiff && step.showsDiff && result.changed && !result.censored else { return "" }
    return result.diffs.map { TextDiff.render($0) }.joined()
  }

  /// `_get_item_label`: the loop label, else the item as interpolated text.
  static func itemLabel(_ item: StepResult) -> String {
    if item.censored { return "(censored due to no_log)" }
    if let label = item.itemLabel { return label }
    guard let value = item.item, value != .null else { return "None" }
    return value.interpolated
  }

  /// ` => {json}` from -v on (`_run_is_verbose`).
  private func verboseSuffix(_ result: StepResult, dropping keys: Set<String> = []) -> String {
    verbosity > 0 || result.display != .onVerbose ? " => " + dump(result, dropping: keys) : ""
  }

  /// `_dump_results` of the callback's copy of a result: `TaskResult.clean_copy` removed
  /// `failed` and `skipped` (the line already says so), and below -vvv the `diff` (shown
  /// on its own under `--diff`); one line with sorted keys, or indented by 4 from -vvv.
  private func dump(_ result: StepResult, dropping keys: Set<String> = []) -> String {
    var json = result.json
    if case .object(var members) = json {
      let hidden: Set<String> =
        verbosity > 2 ? ["failed", "skipped"] : ["failed", "skipped", "diff"]
      for key in keys.union(hidden) { members[key] = nil }
      if result.display == .alwaysWithoutChanged {
        // `_clean_results` for debug: a message stands alone; a variable without upkeep keys.
        if members["msg"] != nil {
          members = members.filter {
            ["msg", "exception", "warnings", "deprecations"].contains($0.key)
          }
        } else {
          for key in [
            "changed", "failed", "skipped", "invocation", "skip_reason", "ansible_loop_var",
            "ansible_index_var", "ansible_loop",
          ] {
            members[key] = nil
          }
        }
      }
      json = .object(members)
    }
    // `_ansible_verbose_always` results (debug, assert) are indented as from -vvv.
    let indented = verbosity > 2 || result.display != .onVerbose
    return indented ? json.prettyJSON(indent: 4) : json.compactJSON
  }

  // MARK: Recap

  /// v2_playbook_on_stats without colours: hosts sorted by name, then an empty line.
  private func recapText(_ recap: PlayRecap) -> String {
    var text = recap.interrupted ? "[ERROR]: User interrupted execution\n" : ""
    text += Self.banner("PLAY RECAP")
    let hosts = recap.stats.keys.sorted {
      $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
    }
    for host in hosts {
      text += Self.recapLine(host: host, stats: recap.stats[host, default: HostStats()]) + "\n"
    }
    text += "\n"
    if checkModeMarkers && sawCheckMode {
      text += Self.banner("DRY RUN")
    }
    return text
  }

  /// `"%-26s : ok=%-4s changed=%-4s unreachable=%-4s failed=%-4s skipped=%-4s rescued=%-4s
  /// ignored=%-4s"`, trailing spaces included: CI scripts grep this line.
  static func recapLine(host: String, stats: HostStats) -> String {
    let counters = [
      ("ok", stats.ok), ("changed", stats.changed), ("unreachable", stats.unreachable),
      ("failed", stats.failed), ("skipped", stats.skipped), ("rescued", stats.rescued),
      ("ignored", stats.ignored),
    ]
    let fields = counters.map { name, value in "\(name)=\(leftAligned(String(value), width: 4))" }
    return leftAligned(host, width: 26) + " : " + fields.joined(separator: " ")
  }

  /// Python's `%-Ns`: padded with spaces to N code points, never truncated.
  private static func leftAligned(_ text: String, width: Int) -> String {
    let padding = width - text.unicodeScalars.count
    return padding > 0 ? text + String(repeating: " ", count: padding) : text
  }
}
