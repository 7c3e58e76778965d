/// One change a module wants, with the diff a reader sees and the actions that make it.
public struct Change: Sendable, Hashable {
  public var summary: String
  public var diff: Diff?
  public var actions: [Action]
  /// False for upkeep that runs but is not a change of the host's state, so a plan made only
  /// of such changes leaves the step `ok`: Ansible's `systemd` `daemon_reload` reloads on
  /// every run yet never reports changed (#77606), and a converged playbook must still
  /// re-run with `changed=0`. Like any change it is skipped in check mode.
  public var reportsChanged: Bool
  /// Read-only commands whose output explains a failed action of this change (a unit's
  /// state and last journal lines after a failed start), shown with the failure.
  public var diagnosis: [Command]

  public init(
    _ summary: String, diff: Diff? = nil, actions: [Action], reportsChanged: Bool = true,
    diagnosis: [Command] = []
  ) {
    self.summary = summary
    self.diff = diff
    self.actions = actions
    self.reportsChanged = reportsChanged
    self.diagnosis = diagnosis
  }
}
