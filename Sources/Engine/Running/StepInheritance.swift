extension Step {
  /// Keywords a block (or the play) gives the steps inside it, as Ansible's inheritance does:
  /// `when` conditions and `tags` add up; `notify`, `ignore_errors`, `check_mode`, `no_log`, `diff` and
  /// `run_once` apply where the step does not set its own.
  struct Inherited {
    var when: [Condition] = []
    var notify: [HandlerID] = []
    var ignoreErrors: Condition?
    var checkMode: Bool?
    var noLog: Bool?
    var showsDiff: Bool?
    var runOnce: Condition?
    var tags: Set<String> = []
  }

  func inheriting(_ inherited: Inherited) -> Step {
    var copy = self
    let conditions = inherited.when + (when.map { [$0] } ?? [])
    if conditions.count > 1 {
      copy.when = Condition(conditions.map(\.text).joined(separator: " and ")) { scope in
        try conditions.allSatisfy { try $0.holds(in: scope) }
      }
    } else {
      copy.when = conditions.first
    }
    if copy.notify.isEmpty { copy.notify = inherited.notify }
    copy.ignoreErrors = copy.ignoreErrors ?? inherited.ignoreErrors
    copy.checkMode = copy.checkMode ?? inherited.checkMode
    if let noLog = inherited.noLog, !copy.noLog { copy.noLog = noLog }
    if let showsDiff = inherited.showsDiff, copy.showsDiff { copy.showsDiff = showsDiff }
    copy.runOnce = copy.runOnce ?? inherited.runOnce
    copy.tags.formUnion(inherited.tags)
    switch copy.body {
    case .block:
      // The block's own keywords pass to its children; the block step keeps none to judge.
      let passed = Inherited(
        when: conditions, notify: copy.notify, ignoreErrors: copy.ignoreErrors,
        checkMode: copy.checkMode, noLog: copy.noLog ? true : inherited.noLog,
        showsDiff: copy.showsDiff ? inherited.showsDiff : false, runOnce: copy.runOnce,
        tags: copy.tags)
      copy = copy.mappingNested { $0.inheriting(passed) }
      copy.when = nil
      copy.notify = []
    case .include:
      // What encloses the include passes on; the include's own keywords (tags too) stay
      // its own, as for Ansible's dynamic includes.
      copy = copy.mappingNested { $0.inheriting(inherited) }
    case .module, .meta, .role:
      break
    }
    return copy
  }

  func inRole(_ name: RoleName) -> Step {
    var copy = self
    if copy.role == nil { copy.role = name }
    return copy.mappingNested { $0.inRole(name) }
  }
}
