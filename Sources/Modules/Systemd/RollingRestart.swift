public import Engine
import Foundation

/// `rolling_restart`: restarts units a batch at a time (default one), so a service behind a
/// load balancer never goes down as a whole. Each batch is taken out of HAProxy first
/// (drained: no new requests, the ones in flight finished), restarted (a unit that is not
/// running is started, its failure state reset), put back, and the next batch waits until
/// HAProxy's own health check says the batch is `UP`. A unit with `Notify=healthy` (Quadlet)
/// is only started once its container is healthy, so a batch that cannot become healthy
/// fails its `systemctl restart`, with the units' state and journal in the failure, and the
/// roll stops there: the batches not yet restarted keep running what they ran.
///
/// JSON: `{"units": ["web@0.service", "web@1.service"], "batch": 1, "haproxy": {…}}` (see
/// `HAProxyRotation`); without `haproxy` it only restarts a batch at a time. Always changed,
/// as `systemd`'s `restarted`; its result says how long each batch and the whole roll took.
public struct RollingRestart: PlaybookModule, PrefetchingModule, ValidatingModule,
  ResultBuildingModule
{
  public static let name: ModuleName = "rolling_restart"

  public var units: [String]
  public var batch: Int
  public var haproxy: HAProxyRotation?
  public var scope: SystemdScope

  public init(
    units: [String], batch: Int = 1, haproxy: HAProxyRotation? = nil,
    scope: SystemdScope = .system
  ) {
    self.units = units
    self.batch = batch
    self.haproxy = haproxy
    self.scope = scope
  }

  public enum CodingKeys: String, CodingKey, CaseIterable { case units, batch, haproxy, scope }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    units = args.required(.units) ?? []
    batch = args.optional(.batch, default: 1)
    haproxy = args.optional(.haproxy)
    scope = args.choice(.scope) ?? .system
    try args.finish(checking: self)
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    var problems: [KeyedProblem<CodingKeys>] = []
    if batch < 1 { problems.append(.init(.batch, "expected an integer ≥ 1, found \(batch)")) }
    if let haproxy { problems += haproxy.problems(units: units).map { .init(.haproxy, $0) } }
    return problems
  }

  var states: SystemdUnitStates { SystemdUnitStates(units: units, scope: scope) }

  public func reads(for host: InventoryHost) -> [HostRead] {
    units.isEmpty ? [] : [.fact(states)]
  }

  /// The units in batches of `batch`, in the order given.
  var batches: [[Int]] {
    stride(from: 0, to: units.count, by: batch).map { Array($0..<min($0 + batch, units.count)) }
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    guard !units.isEmpty else { return .unchanged("no unit to restart") }
    let found = try await context.gather(states)
    var changes: [Change] = []
    for indices in batches {
      let names = indices.map { units[$0] }
      // `systemd`'s own plan for the batch: reload first (once), reset a crash loop,
      // restart what runs and start what does not, with its diagnosis on failure.
      let first = indices.first == 0
      let restart = try Systemd(names: names, state: .restarted, daemonReload: first, scope: scope)
        .plan(for: indices.map { (units[$0], found[$0]) }, isCheckMode: context.isCheckMode)
      let servers = indices.compactMap {
        haproxy?.server(at: $0, instance: instanceName(units[$0]))
      }
      var actions: [Action] = []
      if let haproxy, !servers.isEmpty { actions.append(.run(haproxy.runtime.drain(servers))) }
      actions += restart.changes.flatMap(\.actions)
      if let haproxy, !servers.isEmpty { actions.append(.run(haproxy.runtime.ready(servers))) }
      let around =
        servers.isEmpty
        ? "" : " (out of HAProxy: \(servers.map(\.description).joined(separator: ", ")))"
      changes.append(
        Change(
          "restart \(names.joined(separator: ", "))\(around)", actions: actions,
          diagnosis: restart.changes.flatMap(\.diagnosis)))
    }
    let note = "\(units.count) units, \(batches.count) batches of at most \(batch)"
    return Plan(changes, note: note, values: ["units": .array(units.map(JSONValue.string))])
  }

  /// How long each batch took, from the moment its drain began until HAProxy said it was `UP`
  /// again (the host's clock, as the runtime client printed it), and the whole roll.
  public func resultValues(from outputs: [CommandOutput]) -> [String: JSONValue] {
    let lines = outputs.flatMap { $0.stdout.split(separator: "\n") }.compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let drains = lines.filter { $0["phase"] as? String == "drain" }
    let readies = lines.filter { $0["phase"] as? String == "ready" }
    var values: [String: JSONValue] = ["units": .array(units.map(JSONValue.string))]
    var batchTimes: [JSONValue] = []
    for (drain, ready) in zip(drains, readies) {
      guard let start = drain["started"] as? Double, let began = ready["started"] as? Double,
        let waited = ready["seconds"] as? Double
      else { continue }
      batchTimes.append(
        [
          "servers": .array(((drain["servers"] as? [String]) ?? []).map(JSONValue.string)),
          "seconds": .string(String(format: "%.1f", began + waited - start)),
        ])
    }
    if let start = drains.first?["started"] as? Double, let last = readies.last,
      let began = last["started"] as? Double, let waited = last["seconds"] as? Double
    {
      let total = String(format: "%.1f", began + waited - start)
      values["seconds"] = .string(total)
      values["msg"] = .string(
        "restarted \(units.count) units in \(batches.count) batches in \(total) s, "
          + "each out of HAProxy until healthy")
    }
    if !batchTimes.isEmpty { values["batches"] = .array(batchTimes) }
    let skipped = lines.compactMap { $0["skipped"] as? String }
    if let first = skipped.first { values["warning"] = .string(first) }
    return values
  }
}
