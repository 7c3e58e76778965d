/// Names as the console prints them: a control character in a host, play, task or handler
/// name (a line break from an inventory or a templated task name) is shown escaped, so no
/// name can start a line of its own and forge output — a fake `PLAY RECAP` that tools
/// grepping the recap would believe.
enum PrintableNames {
  /// `name` with every control character escaped (`Diagnostic`'s rule: `\n`, `\u001b`, …).
  static func escape(_ name: String) -> String { Diagnostic.escapingControlCharacters(name) }
}

extension Event {
  /// The event with every name it carries escaped (`PrintableNames`).
  func withPrintableNames() -> Event {
    let name = PrintableNames.escape
    switch self {
    case .playStarted(let play): return .playStarted(play.printable)
    case .stepStarted(let step): return .stepStarted(step.printable)
    case .hostResult(let host, let step, let result):
      return .hostResult(host: name(host), step: step.printable, result: result)
    case .retrying(let host, let step, let retriesLeft, let result):
      return .retrying(
        host: name(host), step: step.printable, retriesLeft: retriesLeft, result: result)
    case .handlerNotified(let host, let handler):
      return .handlerNotified(host: name(host), handler: name(handler))
    case .waiting(let host, let step, let change, let seconds):
      return .waiting(host: name(host), step: step.printable, change: change, seconds: seconds)
    case .waitingForLock(let host, let seconds):
      return .waitingForLock(host: name(host), seconds: seconds)
    case .detail(let host, let message, let verbosity):
      return .detail(host: host.map(name), message: message, verbosity: verbosity)
    case .playFinished(let play): return .playFinished(play.printable)
    case .included(let file, let hosts, let step, let item):
      return .included(
        file: name(file), hosts: hosts.map(name), step: step.printable, item: item.map(name))
    case .finished(var recap):
      recap.stats = Dictionary(
        recap.stats.map { (name($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
      return .finished(recap)
    case .warning, .noHostsLeft: return self
    }
  }
}

extension PlayInfo {
  fileprivate var printable: PlayInfo {
    var play = self
    play.name = PrintableNames.escape(name)
    play.hosts = hosts.map(PrintableNames.escape)
    return play
  }
}

extension StepInfo {
  fileprivate var printable: StepInfo {
    var step = self
    step.displayName = PrintableNames.escape(displayName)
    return step
  }
}
