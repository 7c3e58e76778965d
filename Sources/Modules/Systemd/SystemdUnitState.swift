/// What systemd says about one unit: the handful of `systemctl show` properties the `systemd`
/// module decides on. Values are kept as systemd prints them; the computed properties below
/// are the only place that interprets them.
public struct SystemdUnitState: Sendable, Hashable {
  /// The unit's primary name (`dci-api@0.service`); for an alias, the unit it points to.
  public var id: String
  /// `loaded`, `not-found`, `masked`, `bad-setting`, `error`, …
  public var loadState: String
  /// `active`, `inactive`, `activating`, `deactivating`, `failed`, `reloading`, …
  public var activeState: String
  /// The unit-type specific state (`running`, `dead`, `exited`, …), for notes only.
  public var subState: String
  /// `enabled`, `disabled`, `static`, `generated`, `masked`, `indirect`, … or empty.
  public var unitFileState: String
  /// Whether the unit's file changed on disk since systemd last loaded it.
  public var needsDaemonReload: Bool
  /// The file systemd loaded the unit from (`/run/systemd/generator/x.service` for Quadlet).
  public var fragmentPath: String
  /// The file a generated unit was made from (the `.container` file for Quadlet).
  public var sourcePath: String

  public init(
    id: String, loadState: String, activeState: String = "inactive", subState: String = "dead",
    unitFileState: String = "", needsDaemonReload: Bool = false, fragmentPath: String = "",
    sourcePath: String = ""
  ) {
    self.id = id
    self.loadState = loadState
    self.activeState = activeState
    self.subState = subState
    self.unitFileState = unitFileState
    self.needsDaemonReload = needsDaemonReload
    self.fragmentPath = fragmentPath
    self.sourcePath = sourcePath
  }

  /// False when systemd has no unit file for this name (Ansible: "Could not find the requested
  /// service").
  public var isFound: Bool { loadState != "not-found" }

  /// Running as Ansible counts it (`active`/`activating`), plus the reload states, which are
  /// active units too; but not a unit waiting for its next automatic restart
  /// (`activating (auto-restart)`): its process died, and a crash loop is not running.
  public var isRunning: Bool {
    ["active", "activating", "reloading", "refreshing"].contains(activeState)
      && subState != "auto-restart"
  }

  /// Failed, or crash-looping between automatic restarts: what `systemctl reset-failed`
  /// clears, with the start counter that would refuse the next start.
  public var hasFailed: Bool { activeState == "failed" || awaitsAutomaticRestart }

  /// In a crash loop: its process died and systemd will start it again by itself shortly.
  public var awaitsAutomaticRestart: Bool { subState == "auto-restart" }

  /// Running or on its way down: `stopped` still has to act on a deactivating unit.
  public var isRunningOrStopping: Bool { isRunning || activeState == "deactivating" }

  public var isMasked: Bool { loadState == "masked" || unitFileState.hasPrefix("masked") }

  /// Made by a generator (Quadlet) from another file (`SourcePath`, the `.container`): such a
  /// unit cannot be enabled or disabled, and its loaded definition is a copy that only a
  /// daemon-reload refreshes.
  public var isGenerated: Bool { unitFileState == "generated" || !sourcePath.isEmpty }

  /// The unit file states that `systemctl disable` would undo.
  public var isEnabled: Bool {
    ["enabled", "enabled-runtime", "linked", "linked-runtime"].contains(unitFileState)
  }

  /// Nothing to enable: `static` units have no `[Install]` section and are pulled in by
  /// others, so `enabled: true` holds already (Ansible counts them as enabled too).
  public var isEnabledOrStatic: Bool { unitFileState == "enabled" || unitFileState == "static" }

  /// The properties as `register` sees them under `status`, named as systemd names them.
  var properties: [String: String] {
    [
      "Id": id, "LoadState": loadState, "ActiveState": activeState, "SubState": subState,
      "UnitFileState": unitFileState, "NeedDaemonReload": needsDaemonReload ? "yes" : "no",
      "FragmentPath": fragmentPath, "SourcePath": sourcePath,
    ]
  }
}
