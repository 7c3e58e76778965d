import Engine

extension File {
  /// `state: link`: a symlink to `source`. An existing file or directory is only replaced
  /// with `force` (an empty directory is removed first); a missing target is refused without
  /// `force`, as Ansible refuses it (in check mode it is predicted instead: an earlier step
  /// may create it). Owner and group apply to the link itself (`chown -h`);
  /// a symlink has no mode of its own on Linux, so `mode` is ignored here.
  func planLink(_ current: ExistingFile?, in context: PlanContext) async throws -> Plan {
    guard let source, let target = linkTarget else {
      throw ModuleError("state 'link' requires src")
    }
    var actions: [Action] = []
    var before: [String: JSONValue] = ["state": .string(current?.kind.rawValue ?? "absent")]
    switch current?.kind {
    case nil:
      actions.append(.run(Command(["ln", "-s", "--", source, path.rawValue])))
    case .link:
      let existing = try await context.gather(LinkTarget(of: path))
      before["src"] = .string(existing)
      if existing != source {
        actions.append(.run(Command(["ln", "-s", "-f", "-n", "--", source, path.rawValue])))
      }
    case .file, .directory:
      guard force else {
        throw ModuleError(
          "refusing to convert from \(current?.kind.rawValue ?? "file") to symlink for \(path)")
      }
      if current?.kind == .directory {
        actions.append(.run(Command(["rmdir", "--", path.rawValue])))
      }
      actions.append(.run(Command(["ln", "-s", "-f", "-n", "--", source, path.rawValue])))
    }
    var note: String?
    if !actions.isEmpty, !force,
      try await context.gather(FileStatus(of: target, followingLinks: true)) == nil
    {
      let message =
        "src file does not exist, use \"force=yes\" if you really want to create the link: \(target)"
      // In check mode an earlier step (a template) may be what creates the target.
      guard context.isCheckMode else { throw ModuleError(message) }
      note = message
    }
    let ownership = FileAttributes(owner: attributes.owner, group: attributes.group)
    let current = actions.isEmpty ? current : nil
    let differences = ownership.differences(from: current, isDirectory: false)
    for difference in differences {
      let tool = difference.attribute == .owner ? "chown" : "chgrp"
      actions.append(.run(Command([tool, "-h", "--", difference.after, path.rawValue])))
    }
    guard !actions.isEmpty else { return .unchanged(nil, values: resultValues(.link)) }
    var after = afterValues(differences)
    after["state"] = "link"
    after["src"] = .string(source)
    let change = Change(
      "link \(path) to \(source)", diff: dictDiff(before: before, after: after), actions: actions)
    return Plan([change], note: note, values: resultValues(.link))
  }
}
