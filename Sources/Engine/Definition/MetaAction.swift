/// Ansible's `meta:` actions: what the engine does itself rather than a module on a host.
public enum MetaAction: String, Sendable, Hashable, CaseIterable {
  /// Run every notified handler now.
  case flushHandlers = "flush_handlers"
  case noop
  /// End the play for every host (none fails).
  case endPlay = "end_play"
  /// End the play for this host (it does not fail).
  case endHost = "end_host"
  /// End the current `serial` batch for every host.
  case endBatch = "end_batch"
  /// Failed hosts of the play count as not failed again.
  case clearHostErrors = "clear_host_errors"
  /// The inventory is static for a run: nothing to refresh.
  case refreshInventory = "refresh_inventory"
  /// No facts are gathered or cached: nothing to clear.
  case clearFacts = "clear_facts"
  /// Connections are kept for the run; the next command opens one if needed.
  case resetConnection = "reset_connection"
}
