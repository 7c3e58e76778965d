public import Foundation
import Synchronization

/// Writes the whole run as one JSON document at the end, shaped like the ansible.posix
/// `json` stdout callback (`ANSIBLE_STDOUT_CALLBACK=json`), so tools that read that output
/// read ours: `{"custom_stats", "global_custom_stats", "plays": [{"play", "tasks": [{"task",
/// "hosts"}]}], "stats"}`, indented by 4 with sorted keys.
///
/// Each host entry is the result's JSON plus `"action"` (the module) and, unlike Ansible,
/// `"handler": true` for handlers. Timestamps are ISO-8601 UTC with `Z`, taken from `clock`;
/// ids are Ansible-style (`<run id prefix>-<12 hex digit counter>`) from `runID`, so tests
/// can pin both. Ansible's internal `_ansible_*` keys are not emitted, and non-ASCII text is
/// written as is (Ansible escapes it as `\uXXXX`). The document goes through the
/// `SecretMasker` before it is written.
public final class JSONReporter: EventSink {
  private let log: Mutex<JSONRunLog>
  private let masker: SecretMasker
  private let clock: @Sendable () -> Date
  private let write: @Sendable (String) -> Void

  /// - Parameters:
  ///   - masker: applied to the document text before it is written.
  ///   - runID: the prefix of every play and task id.
  ///   - clock: the time of each play start, task start and host result.
  ///   - write: receives the document once, on `.finished`, ending in `\n`.
  public init(
    masker: SecretMasker = SecretMasker(), runID: UUID = UUID(),
    clock: @escaping @Sendable () -> Date = { Date() },
    write: @escaping @Sendable (String) -> Void
  ) {
    log = Mutex(JSONRunLog(runID: runID))
    self.masker = masker
    self.clock = clock
    self.write = write
  }

  public func record(_ event: Event) async {
    log.withLock { log in
      if case .finished(let recap) = event {
        write(masker.mask(log.document(recap: recap).prettyJSON(indent: 4) + "\n"))
      } else {
        log.record(event, now: clock)
      }
    }
  }
}
