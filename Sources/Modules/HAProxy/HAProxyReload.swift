public import Engine

/// `haproxy_reload`: reloads HAProxy's unit and is done only once a new worker serves the
/// runtime API, so what follows (a drain before a restart) talks to the HAProxy that stays.
/// A unit that is not running is started instead, as `systemd`'s `reloaded` does. A reload
/// keeps the connections being served: the old worker finishes them.
///
/// JSON: `{"unit": "haproxy.service", "socket": "/run/haproxy/admin.sock", "timeout": 30}`.
public struct HAProxyReload: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "haproxy_reload"

  public var unit: String
  public var runtime: HAProxyRuntime

  public init(unit: String, socket: HostPath = HAProxyRotation.defaultSocket, timeout: Int = 30) {
    self.unit = unit
    self.runtime = HAProxyRuntime(socket: socket, timeout: timeout)
  }

  public enum CodingKeys: String, CodingKey, CaseIterable { case unit, socket, timeout }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      unit: args.required(.unit) ?? "",
      socket: args.optional(.socket, default: HAProxyRotation.defaultSocket),
      timeout: args.optional(.timeout, default: 30))
    try args.finish(checking: self)
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    [
      unit.isEmpty || unit.hasPrefix("-")
        ? KeyedProblem(.unit, "expected a unit name, found '\(unit)'") : nil,
      runtime.socketProblem.map { KeyedProblem(.socket, $0) },
      runtime.timeoutProblem.map { KeyedProblem(.timeout, $0) },
    ].compactMap { $0 }
  }

  var state: SystemdUnitStates { SystemdUnitStates(units: [unit]) }

  public func reads(for host: InventoryHost) -> [HostRead] { [.fact(state)] }

  public func plan(in context: PlanContext) async throws -> Plan {
    let found = try await context.gather(state)
    let systemd = Systemd(name: unit, state: .reloaded)
    let plan = try systemd.plan(
      for: zip([unit], found).map { ($0, $1) }, isCheckMode: context.isCheckMode)
    guard let current = found.first, current.isRunning else { return plan }
    let reload = Change(
      "reload \(unit), then wait for its new worker", actions: [.run(runtime.reload(unit))],
      diagnosis: plan.changes.flatMap(\.diagnosis))
    return Plan([reload], values: plan.values)
  }
}
