import Foundation

/// The text of ansible-playbook's default stdout callback (2.19) for each event, plain as
/// into a pipe or in Ansible's colours on a terminal (`ConsoleStyle`), kept apart from `ConsoleReporter` so the wording lives in one value type with
/// no locking or I/O. Every returned line ends in `\n`; an event may print nothing.
///
/// Each rule below names the callback method it mirrors (`lib/ansible/plugins/callback/
/// default.py` and `__init__.py` in ansible-core 2.19); `ConsoleReporter` lists the deliberate
/// deviations.
struct ConsoleFormatter {
  let showDiff: Bool
  let verbosity: Int
  let checkModeMarkers: Bool
  /// Off a TTY Ansible's display is 79 columns wide; with the space after the message every
  /// banner line is 80 characters. On a terminal, its width less one.
  let style: ConsoleStyle
  /// Applied to a message before it is coloured: a secret spanning lines is masked whole,
  /// before the colour codes split it.
  let masker: SecretMasker

  private var play: PlayInfo?
  /// The step whose banner was printed last; a result for another step reprints its banner
  /// (Ansible's `_last_task_banner`), so a line is never shown under the wrong task.
  private var stepWithBanner: StepInfo?
  private var announcedDryRun = false
  private var waits = WaitingStatus()
  private var sawCheckMode = false

  init(
    showDiff: Bool, verbosity: Int, checkModeMarkers: Bool, style: ConsoleStyle = .plain,
    masker: SecretMasker = SecretMasker()
  ) {
    self.showDiff = showDiff
    self.verbosity = verbosity
    self.checkModeMarkers = checkModeMarkers
    self.style = style
    self.masker = masker
  }

  /// `Display.display(message, color=…)`: the message in its tone's colour, then a newline.
  private func line(_ message: String, _ tone: ConsoleTone?) -> String {
    guard style.colours, let tone else { return message + "\n" }
    return tone.paint(masker.mask(message)) + "\n"
  }

  /// The event's text; on a terminal, framed by the status line of long waits: cleared
  /// before the text, drawn again after it while some host still waits.
  mutating func text(for event: Event) -> String {
    let body = eventText(for: event)
    guard style.isTerminal else { return body }
    let shown = waits.line(columns: style.columns)
    waits.update(for: event)
    let next = waits.line(columns: style.columns)
    if body.isEmpty && shown == next { return "" }
    return (shown == nil ? "" : WaitingStatus.clear) + body + (next ?? "")
  }

  private mutating func eventText(for event: Event) -> String {
    switch event {
    case .playStarted(let play):
      return playBanner(play)
    case .stepStarted(let step):
      return stepBanner(step)
    case .hostResult(let host, let step, let result):
      return bannerIfNeeded(for: step) + resultLines(host: host, step: step, result: result)
    case .retrying(let host, let step, let retriesLeft, let result):
      // v2_runner_retry: the full result only from -vvv, glued on without a space.
      var message =
        "FAILED - RETRYING: [\(host)]: \(step.displayName) (\(retriesLeft) retries left)."
      if verbosity > 2 { message += "Result was: " + dump(result) }
      return line(message, .debug)
    case .handlerNotified(let host, let handler):
      return verbosity > 1 ? line("NOTIFIED HANDLER \(handler) for \(host)", .verbose) : ""
    case .warning(let message):
      return line("[WARNING]: \(message)", .warning)
    case .waiting, .waitingForLock:
      // Not Ansible's (it says nothing while a task runs): on a terminal the status line
      // shows what a long step waits for (`text(for:)`); into a pipe, nothing.
      return ""
    case .detail(let host, let message, let level):
      guard verbosity >= level else { return "" }
      return line((host.map { "<\($0)> " } ?? "") + message, .verbose)
    case .included(let file, let hosts, let step, let item):
      // v2_playbook_on_include.
      let label = item.map { " => (item=\($0))" } ?? ""
      return bannerIfNeeded(for: step)
        + line("included: \(file) for \(hosts.joined(separator: ", "))\(label)", .included)
    case .noHostsLeft:
      return banner("NO MORE HOSTS LEFT")
    case .playFinished:
      return ""
    case .finished(let recap):
      return recapText(recap)
    }
  }

  // MARK: Banners

  /// `Display.banner`: an empty line, then the message and stars up to the banner width
  /// (at least three).
  func banner(_ message: String) -> String { style.banner(message) }

  /// v2_playbook_on_play_start; an unnamed play is named after its hosts (`Play.get_name`).
  private mutating func playBanner(_ play: PlayInfo) -> String {
    self.play = play
    stepWithBanner = nil
    var text = ""
    if play.checkMode {
      sawCheckMode = true
      if checkModeMarkers && !announcedDryRun {
        announcedDryRun = true
        text += banner("DRY RUN")
      }
    }
    let name = play.name.isEmpty ? play.hosts.joined(separator: ",") : play.name
    let marker = checkModeMarkers && play.checkMode ? " [CHECK MODE]" : ""
    return text + banner(name.isEmpty ? "PLAY\(marker)" : "PLAY [\(name)]\(marker)")
  }

  /// `_print_task_banner`, with the task path from -vv.
  private mutating func stepBanner(_ step: StepInfo) -> String {
    stepWithBanner = step
    let prefix = step.isHandler ? "RUNNING HANDLER" : "TASK"
    let marker = checkModeMarkers && play?.checkMode == true ? " [CHECK MODE]" : ""
    let name = step.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
    var text = banner("\(prefix) [\(name)]\(marker)")
    if verbosity >= 2 && !step.source.isEmpty {
      text += line("task path: \(step.source)", .debug)
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
      text += line("fatal: [\(host)]: UNREACHABLE! => \(dump(result))", .unreachable)
      if result.ignored { text += line("...ignoring", .skip) }
    } else if result.failed {
      if result.ignored { text += line("...ignoring", .skip) }
    } else if result.skipped {
      text += line(
        "skipping: [\(host)]" + verboseSuffix(result, dropping: ["results"]), .skip)
    }
    return text
  }

  private func singleResultLines(host: String, step: StepInfo, result: StepResult) -> String {
    let ignoring = result.ignored ? line("...ignoring", .skip) : ""
    if result.unreachable {
      return line("fatal: [\(host)]: UNREACHABLE! => \(dump(result))", .unreachable) + ignoring
    }
    if result.failed {
      return line("fatal: [\(host)]: FAILED! => \(dump(result))", .error) + ignoring
    }
    if result.skipped {
      return line("skipping: [\(host)]" + verboseSuffix(result), .skip)
    }
    let status = result.changed ? "changed" : "ok"
    return diffText(step: step, result: result)
      + line("\(status): [\(host)]" + verboseSuffix(result), result.changed ? .changed : .ok)
  }

  /// v2_runner_item_on_failed / _skipped / _ok; the skip line keeps Ansible's trailing space.
  private func itemLine(host: String, step: StepInfo, item: StepResult) -> String {
    let label = Self.itemLabel(item)
    if item.failed || item.unreachable {
      return line("failed: [\(host)] (item=\(label)) => \(dump(item))", .error)
    }
    if item.skipped {
      return line("skipping: [\(host)] => (item=\(label)) " + verboseSuffix(item), .skip)
    }
    let status = item.changed ? "changed" : "ok"
    return diffText(step: step, result: item)
      + line(
        "\(status): [\(host)] => (item=\(label))" + verboseSuffix(item),
        item.changed ? .changed : .ok)
  }

  /// v2_on_file_diff: the diffs of a changed result, printed before its status line.
  private func diffText(step: StepInfo, result: StepResult) -> String {
    guard showDiff && step.showsDiff && result.changed && !result.censored else { return "" }
    let text = result.diffs.map { TextDiff.render($0) }.joined()
    guard style.colours else { return text }
    // `_get_diff`: added lines green, removed red, hunk headers cyan, the rest plain
    let lines = masker.mask(text).split(separator: "\n", omittingEmptySubsequences: false)
    return lines.map { line -> String in
      let tone: ConsoleTone? =
        line.hasPrefix("+")
        ? .diffAdd
        : line.hasPrefix("-")
          ? .diffRemove
          : line.hasPrefix("@@") ? .diffLines : nil
      return tone?.paint(String(line)) ?? String(line)
    }.joined(separator: "\n")
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
    var text = recap.interrupted ? line("[ERROR]: User interrupted execution", .error) : ""
    text += banner("PLAY RECAP")
    let hosts = recap.stats.keys.sorted {
      $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
    }
    for host in hosts {
      let stats = recap.stats[host, default: HostStats()]
      text +=
        (style.colours
          ? Self.colouredRecapLine(host: host, stats: stats)
          : Self.recapLine(host: host, stats: stats)) + "\n"
    }
    text += "\n"
    if checkModeMarkers && sawCheckMode {
      text += banner("DRY RUN")
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

  /// The recap line on a colour terminal (`hostcolor`, `colorize`): the host in the colour of
  /// its worst outcome, padded as Ansible pads it (to 37 with the codes counted), and each
  /// counter that is not zero in its own colour.
  static func colouredRecapLine(host: String, stats: HostStats) -> String {
    let hostTone: ConsoleTone =
      stats.failed + stats.unreachable > 0 ? .error : stats.changed > 0 ? .changed : .ok
    let counters: [(String, Int, ConsoleTone)] = [
      ("ok", stats.ok, .ok), ("changed", stats.changed, .changed),
      ("unreachable", stats.unreachable, .unreachable), ("failed", stats.failed, .error),
      ("skipped", stats.skipped, .skip), ("rescued", stats.rescued, .ok),
      ("ignored", stats.ignored, .warning),
    ]
    let fields = counters.map { name, value, tone in
      let field = "\(name)=\(leftAligned(String(value), width: 4))"
      return value == 0 ? field : tone.paint(field)
    }
    return leftAligned(hostTone.paint(host), width: 37) + " : " + fields.joined(separator: " ")
  }

  /// Python's `%-Ns`: padded with spaces to N code points, never truncated.
  private static func leftAligned(_ text: String, width: Int) -> String {
    let padding = width - text.unicodeScalars.count
    return padding > 0 ? text + String(repeating: " ", count: padding) : text
  }
}
