import Synchronization

/// Prints a run as ansible-playbook's default stdout callback does (2.19; in its colours on a
/// terminal, `ConsoleStyle`), so people and scripts used to Ansible's output (banners, `changed: [h1]`, the
/// `PLAY RECAP` line molecule greps) read ours the same way.
///
/// Safe to share between concurrent tasks: events are formatted and written one at a time,
/// in the order `record` is entered, because the banner state ("which task's banner is on
/// screen") must follow the output. Every text goes through the `SecretMasker` before the
/// writer sees it.
///
/// Deliberate deviations from Ansible:
/// - Host lines of a task come in inventory order (the engine's event order), not in
///   completion order, so output is deterministic.
/// - No `TASK [Gathering Facts]`: the runner gathers no facts up front.
/// - Diff headers name the destination (`+++ after: /etc/app.conf`), not a controller temp
///   file; a hidden diff shows its headers and `TextDiff.hiddenNotice` instead of its lines.
/// - Secret values are masked as `********` everywhere, diffs included (Ansible prints them).
/// - 2.19's `[ERROR]: Task failed: …` block with a source excerpt before each fatal line is
///   left out: the fatal line carries the message, and users found the block too verbose.
/// - A loop item shows as interpolated text (objects as compact JSON), not as a Python repr.
/// - The retry line names the step as its banner does (`role : name`).
/// - Warnings share the writer with everything else.
/// - On Ctrl-C the recap is still printed, after `[ERROR]: User interrupted execution`.
/// - On a terminal, a step that waits long shows a status line naming the hosts it waits
///   for (`WaitingStatus`), erased before the next line; Ansible shows nothing meanwhile.
public final class ConsoleReporter: EventSink {
  private let formatter: Mutex<ConsoleFormatter>
  private let masker: SecretMasker
  private let write: @Sendable (String) -> Void

  /// - Parameters:
  ///   - showDiff: `--diff`: print the diffs of changed results (steps that allow it).
  ///   - verbosity: the number of `-v`: 1 adds result JSON to every line, 2 task paths and
  ///     notified handlers, 3 indented JSON and the results of retried attempts.
  ///   - masker: applied to all text before it is written.
  ///   - checkModeMarkers: Ansible's `check_mode_markers`: `[CHECK MODE]` on banners and
  ///     `DRY RUN` banners in check mode.
  ///   - style: colours, banner width, and whether long waits show as a status line.
  ///   - write: receives whole lines, each ending in `\n` (the CLI writes them to stdout).
  public init(
    showDiff: Bool = false, verbosity: Int = 0, masker: SecretMasker = SecretMasker(),
    checkModeMarkers: Bool = false, style: ConsoleStyle = .plain,
    write: @escaping @Sendable (String) -> Void
  ) {
    formatter = Mutex(
      ConsoleFormatter(
        showDiff: showDiff, verbosity: verbosity, checkModeMarkers: checkModeMarkers,
        style: style, masker: masker))
    self.masker = masker
    self.write = write
  }

  public func record(_ event: Event) async {
    formatter.withLock { formatter in
      let text = formatter.text(for: event.withPrintableNames())
      if !text.isEmpty { write(masker.mask(text)) }
    }
  }
}
