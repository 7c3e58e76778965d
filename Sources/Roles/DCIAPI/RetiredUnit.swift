import Engine
import Modules

/// A unit this host should no longer run (the auth tracking sidecar after
/// `dci_api_auth_tracking_enabled` was turned off): stopped if it runs, disabled if a link
/// enables it, and nothing at all where systemd never heard of it. The `systemd` module would
/// fail on such a host ("Could not find the requested service"), or with `daemon_reload`
/// reload on every run, so a host that never had the sidecar would never plan nothing.
///
/// A Quadlet unit is generated, so it cannot be disabled: removing its `.container` file
/// (and a daemon-reload) is what takes it off the boot, which the role does next.
///
/// Private to the role: no playbook names it, so it is built in Swift and never decoded; its
/// name is what the JSON run log shows.
struct RetiredUnit: NamedModule, PrefetchingModule {
  static let name: ModuleName = "dci_api_retired_unit"

  /// `dci-api-auth-tracking.service`
  var unit: String

  init(_ unit: String) { self.unit = unit }

  private var states: SystemdUnitStates { SystemdUnitStates(units: [unit]) }

  func reads(for host: InventoryHost) -> [HostRead] { [.fact(states)] }

  func plan(in context: PlanContext) async throws -> Plan {
    guard let state = try await context.gather(states).first, state.isFound else {
      return .unchanged("\(unit) is not known to systemd")
    }
    var changes: [Change] = []
    if state.isRunningOrStopping {
      changes.append(
        Change("stop \(unit)", actions: [.run(Command(["systemctl", "stop", "--", unit]))]))
    }
    if state.isEnabled {
      changes.append(
        Change("disable \(unit)", actions: [.run(Command(["systemctl", "disable", "--", unit]))]))
    }
    return changes.isEmpty ? .unchanged("\(unit) is \(state.activeState)") : Plan(changes)
  }
}
