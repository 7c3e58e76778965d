public import Engine
import Foundation

extension Template {
  public func plan(in context: PlanContext) async throws -> Plan {
    let rendered = Data(try render(in: context).utf8)
    let current = try await context.contents(of: destination)
    var note: String?
    if current == nil, try await !parentIsDirectory(in: context) {
      let message = "Destination directory \(destination.parent) does not exist"
      // In check mode an earlier step (a `file: state=directory`) may be what creates it.
      guard context.isCheckMode else { throw ModuleError(message) }
      note = message + " (yet)"
    }
    let existing =
      current != nil && !attributes.isEmpty
      ? try await context.gather(FileStatus(of: destination, followingLinks: true)) : nil
    var facts = resultFacts(size: rendered.count)
    if current == rendered {
      let differences = attributes.differences(from: existing, isDirectory: false)
      guard !differences.isEmpty else { return .unchanged(nil, facts: facts) }
      return Plan([attributes.change(applying: differences, to: destination)], facts: facts)
    }
    // The backup is made by the write, once validation passed (a rejected file leaves none);
    // one made in the same second has the same name: GNU cp moves the older aside as
    // `<name>.~N~` instead of overwriting it, so no old content is ever lost.
    let backupPath =
      backup && current != nil ? Template.backupPath(for: destination, at: Date()) : nil
    if let backupPath { facts["backup_file"] = .string(backupPath.rawValue) }
    let mode = attributes.resultingMode(current: existing?.mode, isDirectory: false)
    let write = FileWrite(
      rendered, to: destination, mode: mode, owner: attributes.owner, group: attributes.group,
      validate: try validateCommand(), backup: backupPath)
    let change = Change(
      "write \(destination)", diff: contentDiff(before: current, after: rendered),
      actions: [.write(write)])
    return Plan([change], note: note, facts: facts)
  }

  private func render(in context: PlanContext) throws -> String {
    switch body {
    case .contents(let text): text
    case .source(let source): try context.renderTemplate(source)
    }
  }

  private func parentIsDirectory(in context: PlanContext) async throws -> Bool {
    let parent = try await context.gather(FileStatus(of: destination.parent, followingLinks: true))
    return parent?.kind == .directory
  }

  /// Before/after text with `before: <dest>` / `after: <dest>` headers (no `before:` header
  /// for a new file, as Ansible prints it); nothing of the content when `sensitive`, the
  /// secrets masked with a `diffMask`.
  private func contentDiff(before: Data?, after: Data) -> Diff {
    var text = (
      before: before.map { String(decoding: $0, as: UTF8.self) } ?? "",
      after: String(decoding: after, as: UTF8.self)
    )
    if sensitive {
      text = ("", "")
    } else if let diffMask {
      text = diffMask.masking(before: text.before, after: text.after)
    }
    return Diff(
      before: text.before, after: text.after,
      beforeHeader: before == nil ? nil : destination.rawValue,
      afterHeader: destination.rawValue, isHidden: sensitive)
  }

  private func resultFacts(size: Int) -> [String: JSONValue] {
    var facts: [String: JSONValue] = [
      "dest": .string(destination.rawValue), "state": "file", "size": .int(size),
    ]
    if case .source(let source) = body { facts["src"] = .string(source) }
    if let mode = attributes.mode { facts["mode"] = .string(mode.text) }
    if let owner = attributes.owner { facts["owner"] = .string(owner) }
    if let group = attributes.group { facts["group"] = .string(group) }
    return facts
  }

  /// `<dest>.<YYYY-MM-DD@HH:MM:SS>~` in local time, Ansible's backup name without the pid
  /// (Ansible's module process differs per task; ours does not, so the copy itself keeps an
  /// earlier backup of the same second, see `plan`).
  static func backupPath(for destination: HostPath, at date: Date) -> HostPath {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
    return HostPath(destination.rawValue + "." + formatter.string(from: date) + "~")
  }
}
