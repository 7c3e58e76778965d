import Foundation

/// What `JSONReporter` has gathered so far: plays, their tasks and each host's result, in the
/// shape of the ansible.posix json callback (`plays[].play`, `plays[].tasks[].task`,
/// `plays[].tasks[].hosts`). A value type with no I/O; the reporter owns the lock and writer.
struct JSONRunLog {
  private struct TaskEntry {
    var step: StepInfo
    var id: String
    var start: Date
    var end: Date?
    var hosts: [String: JSONValue] = [:]
  }

  private struct PlayEntry {
    var info: PlayInfo
    var id: String
    var start: Date
    var end: Date?
    var tasks: [TaskEntry] = []
  }

  private var plays: [PlayEntry] = []
  /// Ansible's ids are `<8>-<4>-<4>-<4>-<12 hex counter>` from one per-run prefix.
  private let idPrefix: String
  private var issuedIDs = 0

  init(runID: UUID) {
    idPrefix = String(runID.uuidString.lowercased().prefix(23))
  }

  /// Adds what `event` says to the log; `now` is read only for events that are timed.
  mutating func record(_ event: Event, now: () -> Date) {
    switch event {
    case .playStarted(let play):
      plays.append(PlayEntry(info: play, id: newID(), start: now()))
    case .stepStarted(let step):
      startTask(step, at: now())
    case .hostResult(let host, let step, let result):
      recordResult(host: host, step: step, result: result, at: now())
    case .retrying, .handlerNotified, .warning, .detail, .waiting, .waitingForLock, .noHostsLeft,
      .playFinished, .included,
      .finished:
      break
    }
  }

  /// The whole document; `stats` are the recap's counters, under the callback's key names,
  /// plus `round_trips` (connection round trips to the host; not in Ansible's callback).
  func document(recap: PlayRecap) -> JSONValue {
    let stats = recap.stats.mapValues { stats -> JSONValue in
      [
        "changed": .int(stats.changed), "failures": .int(stats.failed),
        "ignored": .int(stats.ignored), "ok": .int(stats.ok), "rescued": .int(stats.rescued),
        "skipped": .int(stats.skipped), "unreachable": .int(stats.unreachable),
        "round_trips": .int(stats.roundTrips),
      ]
    }
    return [
      "custom_stats": [:],
      "global_custom_stats": [:],
      "plays": .array(plays.map(Self.json(for:))),
      "stats": .object(stats),
    ]
  }

  private mutating func startTask(_ step: StepInfo, at time: Date) {
    if plays.isEmpty {
      plays.append(
        PlayEntry(
          info: PlayInfo(name: "", hosts: [], source: "", checkMode: false), id: newID(),
          start: time))
    }
    plays[plays.count - 1].tasks.append(TaskEntry(step: step, id: newID(), start: time))
  }

  private mutating func recordResult(
    host: String, step: StepInfo, result: StepResult, at time: Date
  ) {
    if plays.last?.tasks.last(where: { $0.step == step }) == nil {
      startTask(step, at: time)
    }
    let play = plays.count - 1
    guard let task = plays[play].tasks.lastIndex(where: { $0.step == step }) else { return }
    var json = result.json.objectValue ?? [:]
    if let module = step.module { json["action"] = .string(module) }
    if step.isHandler { json["handler"] = true }
    plays[play].tasks[task].hosts[host] = .object(json)
    plays[play].tasks[task].end = time
    plays[play].end = time
  }

  private mutating func newID() -> String {
    issuedIDs += 1
    let counter = String(issuedIDs, radix: 16)
    return idPrefix + "-" + String(repeating: "0", count: max(0, 12 - counter.count)) + counter
  }

  private static func json(for play: PlayEntry) -> JSONValue {
    let name = play.info.name.isEmpty ? play.info.hosts.joined(separator: ",") : play.info.name
    return [
      "play": [
        "name": .string(name),
        "id": .string(play.id),
        "path": .string(play.info.source),
        "duration": duration(start: play.start, end: play.end),
      ],
      "tasks": .array(play.tasks.map(json(for:))),
    ]
  }

  private static func json(for task: TaskEntry) -> JSONValue {
    [
      "task": [
        "name": .string(task.step.displayName),
        "id": .string(task.id),
        "path": .string(task.step.source),
        "duration": duration(start: task.start, end: task.end),
      ],
      "hosts": .object(task.hosts),
    ]
  }

  /// `end` appears once a host reported, as in the callback.
  private static func duration(start: Date, end: Date?) -> JSONValue {
    var duration: [String: JSONValue] = ["start": .string(UTCTimestamp.string(from: start))]
    if let end { duration["end"] = .string(UTCTimestamp.string(from: end)) }
    return .object(duration)
  }
}
