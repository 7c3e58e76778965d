/// The status line of long waits on a terminal: which hosts the running step still waits
/// for, on what, and for how long (`Event.waiting`, `Event.waitingForLock`). A host leaves
/// it when its result comes; a new step, play or the recap clears it. Never written into a
/// pipe, so logs and scripts see exactly ansible-playbook's lines.
struct WaitingStatus {
  /// `\r` and erase-line: what the line held is gone and the cursor is at its start.
  static let clear = "\r\u{1B}[K"

  private var waits: [(host: String, what: String, seconds: Int)] = []

  mutating func update(for event: Event) {
    switch event {
    case .waiting(let host, _, let change, let seconds):
      set(host, change, seconds)
    case .waitingForLock(let host, let seconds):
      set(host, "another run holds the host's run lock", seconds)
    case .hostResult(let host, _, _):
      waits.removeAll { $0.host == host }
    case .stepStarted, .playStarted, .playFinished, .noHostsLeft, .finished:
      waits.removeAll()
    case .retrying, .handlerNotified, .warning, .detail, .included:
      break
    }
  }

  private mutating func set(_ host: String, _ what: String, _ seconds: Int) {
    if let index = waits.firstIndex(where: { $0.host == host }) {
      waits[index] = (host, what, seconds)
    } else {
      waits.append((host, what, seconds))
    }
  }

  /// `  waiting for [h1] restart web@0.service (12 s), [h2] …`, cut to fit `columns` so
  /// the line never wraps (a wrapped line could not be cleared); nil when nothing waits.
  func line(columns: Int) -> String? {
    guard !waits.isEmpty else { return nil }
    let parts = waits.map { "[\($0.host)] \($0.what) (\($0.seconds) s)" }
    let text = "  waiting for " + parts.joined(separator: ", ")
    guard TerminalWidth.of(text) > columns else { return text }
    var cut = ""
    for character in text {
      if TerminalWidth.of(cut + String(character)) > columns - 1 { break }
      cut.append(character)
    }
    return cut + "…"
  }
}
