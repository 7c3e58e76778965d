/// Whether the console prints a result's keys at verbosity 0. Ansible's `debug` and `assert`
/// results carry `_ansible_verbose_always`; `debug` also leaves out its `changed` key.
public enum ResultDisplay: Sendable, Hashable {
  case onVerbose
  case always
  case alwaysWithoutChanged
}
