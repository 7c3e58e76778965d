public import Engine

extension Systemd: PrefetchingModule {
  public func reads(for host: InventoryHost) -> [HostRead] {
    units.isEmpty ? [] : [.fact(SystemdUnitStates(units: units, scope: scope))]
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    if units.isEmpty {
      // Only `daemon_reload`, and no unit to ask whether it is needed: reload every run, and
      // like Ansible never count it as a change, so a converged host stays `changed=0`.
      return Plan([reload(because: "no unit named, so it cannot be checked", counts: false)])
    }
    let states = try await context.gather(SystemdUnitStates(units: units, scope: scope))
    return try plan(for: zip(units, states).map { ($0, $1) }, isCheckMode: context.isCheckMode)
  }

  /// The plan for units in the given states; pure, so tables can test it without a host.
  ///
  /// Order follows Ansible: daemon-reload, then mask/unmask, enable/disable, and the state.
  /// A unit systemd does not know fails the step ("Could not find the requested service"),
  /// except when it may appear on the way: a daemon-reload in this very step (a Quadlet file
  /// written by an earlier step becomes a unit only then), or check mode, where the earlier
  /// step that would have created it did not run (Ansible's P7). Such a unit is planned as
  /// inactive and disabled.
  ///
  /// Deviation from Ansible: `daemon_reload: true` reloads only when a named unit reports
  /// `NeedDaemonReload=yes` or is not found yet (reported as a change of its own), or before
  /// any other change the step makes. Ansible reloads every time and never reports it, so a
  /// changed unit file went unnoticed and an unchanged one cost a reload on every run. The
  /// reload before other changes of a generated unit (a `SourcePath`, e.g. a Quadlet file)
  /// covers what `NeedDaemonReload` cannot see: a stopped unit systemd had unloaded is loaded
  /// fresh by `systemctl show` from its stale generated file (`/run/systemd/generator`) and
  /// says `no`, so starting it without a reload would run the old Quadlet config. A plain
  /// unit file has no such copy: loaded fresh, it is read as it is now. A converged step
  /// (nothing to start, stop or enable) still plans nothing.
  func plan(for units: [(name: String, state: SystemdUnitState)], isCheckMode: Bool) throws -> Plan
  {
    let stale = units.filter { $0.state.needsDaemonReload || !$0.state.isFound }.map(\.name)
    let reloads = daemonReload && !stale.isEmpty
    let assumed = try unitsAssumedToAppear(units, reloads: reloads, isCheckMode: isCheckMode)
    var changes = maskChanges(units) + (try enableChanges(units)) + stateChanges(units)
    if reloads {
      changes.insert(reload(because: "needed by " + stale.joined(separator: ", ")), at: 0)
    } else if daemonReload, !changes.isEmpty, units.contains(where: \.state.isGenerated) {
      // Not a change of its own: the changes after it are what the step reports.
      let before = "before " + changes.map(\.summary).joined(separator: ", ")
      changes.insert(reload(because: before, counts: false), at: 0)
    }
    var note: String?
    if !assumed.isEmpty {
      let why = reloads ? "expected after daemon-reload" : "assumed created by an earlier step"
      note = "not found yet, \(why): " + assumed.joined(separator: ", ")
    } else if changes.isEmpty {
      note = units.map { describe($0.name, $0.state) }.joined(separator: "; ")
    }
    return Plan(changes, note: note, values: resultValues(units))
  }

  // MARK: Steps of the plan

  private func unitsAssumedToAppear(
    _ units: [(name: String, state: SystemdUnitState)], reloads: Bool, isCheckMode: Bool
  ) throws -> [String] {
    let missing = units.filter { !$0.state.isFound }.map(\.name)
    // `masked` alone works on units without a file; `state` and `enabled` need the unit.
    guard !missing.isEmpty, state != nil || enabled != nil else { return [] }
    if reloads || isCheckMode { return missing }
    throw ModuleError(
      missing.map { "Could not find the requested service \($0): host" }.joined(separator: "; "),
      hint: daemonReload
        ? nil : "if an earlier step writes its unit or Quadlet file, add daemon_reload: true")
  }

  private func maskChanges(_ units: [(name: String, state: SystemdUnitState)]) -> [Change] {
    guard let masked else { return [] }
    let pending = units.filter { $0.state.isMasked != masked }.map(\.name)
    return command(masked ? "mask" : "unmask", pending)
  }

  private func enableChanges(_ units: [(name: String, state: SystemdUnitState)]) throws -> [Change]
  {
    guard let enabled else { return [] }
    var pending: [String] = []
    var problems: [String] = []
    for (name, unit) in units {
      if unit.isGenerated {
        let source = unit.sourcePath.isEmpty ? "its Quadlet file" : unit.sourcePath
        problems.append(
          "\(name) is generated from \(source) and cannot be \(enabled ? "enabled" : "disabled"): "
            + "boot start comes from the [Install] section (WantedBy=) of that Quadlet file")
      } else if enabled, unit.isMasked, masked != false {
        problems.append("\(name) is masked and cannot be enabled; add masked: false")
      } else if ["transient", "bad"].contains(unit.unitFileState) {
        problems.append("\(name) has unit file state '\(unit.unitFileState)' and cannot be enabled")
      } else if enabled ? !unit.isEnabledOrStatic : unit.isEnabled {
        pending.append(name)
      }
    }
    if !problems.isEmpty {
      throw ModuleError(
        problems.joined(separator: "; "),
        hint: units.contains { $0.state.isGenerated } ? "drop 'enabled' from this step" : nil)
    }
    return command(enabled ? "enable" : "disable", pending)
  }

  private func stateChanges(_ units: [(name: String, state: SystemdUnitState)]) -> [Change] {
    guard let state else { return [] }
    let stopped = units.filter { !$0.state.isRunning }
    switch state {
    case .started:
      return starting(stopped)
    case .stopped:
      return command(
        "stop", units.filter { $0.state.isRunningOrStopping }.map(\.name), blocking: true)
    case .restarted, .reloaded:
      // Ansible: a unit that is not running is started instead, and both always count as changed.
      let verb = state == .restarted ? "restart" : "reload"
      return starting(stopped)
        + command(verb, units.filter { $0.state.isRunning }.map(\.name), blocking: true)
    }
  }

  /// `systemctl start` for units that are not running. A unit that failed or waits for its
  /// next automatic restart (a crash loop) has its failure and start counter reset first:
  /// otherwise systemd's start-rate limit ("Start request repeated too quickly") refuses
  /// the start that is meant to recover it. A unit between two attempts of a crash loop
  /// (stopping after its process died, or waiting for its automatic restart) is stopped
  /// first: systemd would otherwise start it again by itself from the definition it had
  /// before this step's reload, and a start asked meanwhile ends with that attempt's failure.
  private func starting(_ units: [(name: String, state: SystemdUnitState)]) -> [Change] {
    guard var start = command("start", units.map(\.name), blocking: true).first else { return [] }
    let looping = units.filter {
      $0.state.awaitsAutomaticRestart || $0.state.activeState == "deactivating"
    }.map(\.name)
    let failed = units.filter { $0.state.hasFailed || looping.contains($0.name) }.map(\.name)
    var first: [Action] = []
    if !looping.isEmpty { first.append(.run(Command(scope.systemctl + ["stop", "--"] + looping))) }
    if !failed.isEmpty {
      first.append(.run(Command(scope.systemctl + ["reset-failed", "--"] + failed)))
    }
    start.actions.insert(contentsOf: first, at: 0)
    return [start]
  }

  // MARK: Building blocks

  /// One `systemctl <verb> -- units…` for all units that need it; nothing when none do.
  private func command(_ verb: String, _ units: [String], blocking: Bool = false) -> [Change] {
    guard !units.isEmpty else { return [] }
    let noBlock = blocking && self.noBlock ? ["--no-block"] : []
    let argv = scope.systemctl + noBlock + [verb, "--"] + units
    // After a failed start, stop or restart: each unit's state, then each unit's last journal
    // lines (read at once, they are the failed attempt's, e.g. gunicorn refusing a flag).
    let state = scope.systemctl + ["show", "--property=" + Self.diagnosedProperties, "--"] + units
    let journals = units.map { Command(scope.journal(of: [$0], lines: 12)) }
    return [
      Change(
        "\(verb) \(units.joined(separator: ", "))", actions: [.run(Command(argv))],
        diagnosis: [Command(state)] + journals)
    ]
  }

  /// What a failed unit's state is shown with: where it is, why its last run ended.
  static let diagnosedProperties = "Id,ActiveState,SubState,Result,ExecMainStatus"

  private func reload(because reason: String, counts: Bool = true) -> Change {
    Change(
      "daemon-reload (\(reason))", actions: [.run(Command(scope.systemctl + ["daemon-reload"]))],
      reportsChanged: counts)
  }

  private func describe(_ name: String, _ unit: SystemdUnitState) -> String {
    var text = "\(name) is \(unit.activeState)"
    if enabled != nil, !unit.unitFileState.isEmpty { text += ", \(unit.unitFileState)" }
    if masked != nil, unit.isMasked { text += ", masked" }
    return text
  }

  /// What `register` keeps: Ansible's `name`, `state`, `enabled` and `status` (the properties,
  /// keyed by unit when there are several).
  private func resultValues(_ units: [(name: String, state: SystemdUnitState)]) -> [String:
    JSONValue]
  {
    func properties(_ unit: SystemdUnitState) -> JSONValue {
      .object(unit.properties.mapValues(JSONValue.string))
    }
    var values: [String: JSONValue] = [:]
    if units.count == 1, let only = units.first {
      values["name"] = .string(only.name)
      values["status"] = properties(only.state)
    } else {
      values["names"] = .array(units.map { .string($0.name) })
      values["status"] = .object(
        Dictionary(units.map { ($0.name, properties($0.state)) }, uniquingKeysWith: { a, _ in a }))
    }
    if let state { values["state"] = .string(state == .stopped ? "stopped" : "started") }
    if let enabled { values["enabled"] = .bool(enabled) }
    return values
  }
}
