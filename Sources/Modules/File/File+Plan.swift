public import Engine

extension File {
  public func plan(in context: PlanContext) async throws -> Plan {
    let current = try await context.gather(FileStatus(of: path))
    let state = state ?? defaultState(for: current)
    switch state {
    case .absent: return planAbsent(current)
    case .link: return try await planLink(current, in: context)
    case .file, .directory, .touch:
      // Like Ansible (`follow: true`), a symlink's target is what gets checked and changed.
      let followed =
        current?.kind == .link
        ? try await context.gather(FileStatus(of: path, followingLinks: true)) : current
      switch state {
      case .file: return try planFile(followed)
      case .directory: return try await planDirectory(followed, in: context)
      default: return planTouch(followed, checkMode: context.isCheckMode)
      }
    }
  }

  /// Ansible's default: what is there, `directory` for `recurse`, else `file`.
  func defaultState(for current: ExistingFile?) -> State {
    switch current?.kind {
    case .directory: .directory
    case .file, .link: .file
    case nil: recurse ? .directory : .file
    }
  }

  private func planAbsent(_ current: ExistingFile?) -> Plan {
    guard let current else { return .unchanged("\(path) is absent", values: resultValues(.absent)) }
    let change = Change(
      "remove \(path)",
      diff: dictDiff(before: ["state": .string(current.kind.rawValue)], after: ["state": "absent"]),
      actions: [.run(Command(["rm", "-r", "-f", "--", path.rawValue]))])
    return Plan([change], values: resultValues(.absent))
  }

  private func planFile(_ current: ExistingFile?) throws -> Plan {
    guard let current else { throw ModuleError("file (\(path)) is absent, cannot continue") }
    guard current.kind != .directory else {
      throw ModuleError("file (\(path)) is \(current.kind.rawValue), cannot continue")
    }
    return attributePlan(current, isDirectory: false)
  }

  private func planDirectory(_ current: ExistingFile?, in context: PlanContext) async throws
    -> Plan
  {
    guard let current else {
      let differences = attributes.differences(from: nil, isDirectory: true)
      // Ansible's diff of a created directory names its state only, not the mode it gets.
      let change = Change(
        "create directory \(path)",
        diff: dictDiff(before: ["state": "absent"], after: ["state": "directory"]),
        actions: [.run(Command(["mkdir", "-p", "--", path.rawValue]))]
          + attributes.commands(applying: differences, to: path).map { .run($0) })
      return Plan([change], values: resultValues(.directory))
    }
    guard current.kind == .directory else {
      throw ModuleError("\(path) already exists as a \(current.kind.rawValue)")
    }
    var plan = attributePlan(current, isDirectory: true)
    if recurse, !attributes.isEmpty {
      plan.changes += try await recursiveChanges(in: context)
    }
    return plan
  }

  /// Attribute changes below the directory: one `-R` command per attribute that differs on
  /// any entry (symlinks are not chmod-ed, as `chmod -R` skips them).
  private func recursiveChanges(in context: PlanContext) async throws -> [Change] {
    let entries = try await context.gather(DirectoryTree(of: path))
    var attributesToFix: Set<FileAttributes.Attribute> = []
    for entry in entries {
      let isDirectory = entry.status.kind == .directory
      for difference in attributes.differences(from: entry.status, isDirectory: isDirectory)
      where difference.attribute != .mode || entry.status.kind != .link {
        attributesToFix.insert(difference.attribute)
      }
    }
    let wanted = attributes.differences(from: nil, isDirectory: true).filter {
      attributesToFix.contains($0.attribute)
    }
    guard !wanted.isEmpty else { return [] }
    let names = wanted.map(\.key).joined(separator: ", ")
    return [
      Change(
        "set \(names) recursively under \(path)",
        actions: attributes.commands(applying: wanted, to: path, recursive: true).map { .run($0) })
    ]
  }

  /// Under `--check` Ansible shows no diff for a touch (the times it would set are unknown).
  private func planTouch(_ current: ExistingFile?, checkMode: Bool) -> Plan {
    let differences = attributes.differences(
      from: current, isDirectory: current?.kind == .directory)
    let diff = dictDiff(
      before: ["state": .string(current?.kind.rawValue ?? "absent")],
      after: ["state": "touch"].merging(afterValues(differences)) { $1 })
    let change = Change(
      current == nil ? "create \(path)" : "touch \(path)",
      diff: checkMode ? nil : diff,
      actions: [.run(Command(["touch", "--", path.rawValue]))]
        + attributes.commands(applying: differences, to: path).map { .run($0) })
    return Plan([change], values: resultValues(.touch))
  }

  /// Only mode/owner/group to fix on a path that is already what it should be.
  private func attributePlan(_ current: ExistingFile, isDirectory: Bool) -> Plan {
    let state: State = isDirectory ? .directory : .file
    let differences = attributes.differences(from: current, isDirectory: isDirectory)
    guard !differences.isEmpty else { return .unchanged(nil, values: resultValues(state)) }
    return Plan([attributes.change(applying: differences, to: path)], values: resultValues(state))
  }

  /// Ansible's dict diff: the path plus what changes, as sorted JSON objects.
  func dictDiff(before: [String: JSONValue], after: [String: JSONValue]) -> Diff {
    let path = JSONValue.string(self.path.rawValue)
    return Diff.attributes(
      before: before.merging(["path": path]) { $1 }, after: after.merging(["path": path]) { $1 })
  }

  func afterValues(_ differences: [FileAttributes.Difference]) -> [String: JSONValue] {
    Dictionary(uniqueKeysWithValues: differences.map { ($0.key, JSONValue.string($0.after)) })
  }

  /// Result keys a registered result carries (`path`, `state`, and the attributes asked for).
  func resultValues(_ state: State) -> [String: JSONValue] {
    var values: [String: JSONValue] = [
      "path": .string(path.rawValue), "state": .string(state.rawValue),
    ]
    if let mode = attributes.mode { values["mode"] = .string(mode.text) }
    if let owner = attributes.owner { values["owner"] = .string(owner) }
    if let group = attributes.group { values["group"] = .string(group) }
    if let source { values["src"] = .string(source) }
    return values
  }
}
