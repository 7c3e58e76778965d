public import Engine
public import Foundation

/// A whole file a module wants on a host, given as its bytes: the one planner behind
/// `template`, `copy` and `podman_quadlet`, and the way for a module author to write a file
/// module without reimplementing Ansible's rules for it. A module works out the content (it
/// renders, builds a unit, takes a value); `plan(in:reporting:)` compares it with what is
/// there and returns the `Plan`, as Ansible's `copy` action does:
///
/// - the content differs (or the file is missing): one atomic write, with the final mode,
///   owner and group, the `validation` run on the temp file and the `backup` made by the
///   write; the diff is the old and the new text, headed as Ansible heads it;
/// - the content is the same: only the attributes that drifted are fixed (`chown`, `chgrp`,
///   `chmod`, with the `file` module's dict diff), or nothing at all;
/// - `force` is false and the file exists: nothing, whatever its content and attributes.
///
/// ```swift
/// let file = ManagedFile(
///   path: "/etc/motd", content: Data("Welcome\n".utf8),
///   attributes: FileAttributes(mode: "0644"))
/// return try await file.plan(in: context, reporting: file.resultValues)
/// ```
public struct ManagedFile: Sendable {
  public var path: HostPath
  public var content: Data
  /// Mode, owner and group wanted; what is not given is left as the host has it.
  public var attributes: FileAttributes
  /// Copy the old file to `<path>.<timestamp>~` before replacing it (Ansible's `backup`).
  public var backup: Bool
  /// Run on the new content before it replaces the old (Ansible's `validate`).
  public var validation: ValidationCommand?
  /// False: a file that exists is left alone, content and attributes (Ansible's
  /// `force: false`); only a missing file is written.
  public var force: Bool
  /// The mode of a file created without a mode in `attributes`; nil: the writer's default
  /// (0644 under umask 022). The podman collection creates Quadlet files 0640.
  public var newFileMode: FileMode?
  /// A missing parent directory fails the plan (Ansible's "Destination directory … does not
  /// exist"), or in check mode is a note, since an earlier step may be what creates it.
  /// False: the parent is not looked at (a missing one fails the write).
  public var requiresParentDirectory: Bool
  /// What of the content the diff shows.
  public var diffContent: DiffContent
  /// The `+++ after:` header of the diff: the path itself, as Ansible heads it for content
  /// given inline; `copy` with `src` heads it with the source file, as Ansible does.
  public var afterHeader: String
  /// Whether the current content already counts as the wanted one: the same bytes, unless a
  /// module knows better (a Quadlet file that differs only in comments is up to date).
  public var isUpToDate: @Sendable (_ current: Data, _ wanted: Data) -> Bool

  public init(
    path: HostPath, content: Data, attributes: FileAttributes = FileAttributes(),
    backup: Bool = false, validation: ValidationCommand? = nil, force: Bool = true,
    newFileMode: FileMode? = nil, requiresParentDirectory: Bool = true,
    diffContent: DiffContent = .shown, afterHeader: String? = nil,
    isUpToDate: @escaping @Sendable (_ current: Data, _ wanted: Data) -> Bool = { $0 == $1 }
  ) {
    self.path = path
    self.content = content
    self.attributes = attributes
    self.backup = backup
    self.validation = validation
    self.force = force
    self.newFileMode = newFileMode
    self.requiresParentDirectory = requiresParentDirectory
    self.diffContent = diffContent
    self.afterHeader = afterHeader ?? path.rawValue
    self.isUpToDate = isUpToDate
  }

  /// How much of the old and new text a diff shows.
  public enum DiffContent: Sendable, Hashable {
    /// All of it.
    case shown
    /// The secrets in it masked by name (see `DiffMask`).
    case masked(DiffMask)
    /// Nothing, only the headers and a notice: the content is a secret (`sensitive`).
    case hidden
  }

  /// The reads `plan` makes, for a `PrefetchingModule` to declare: the file, its parent's
  /// status when it must exist, the file's status when attributes are enforced.
  public var reads: [HostRead] {
    var reads: [HostRead] = [.file(path)]
    if requiresParentDirectory { reads.append(.fact(parentStatus)) }
    if !attributes.isEmpty { reads.append(.fact(status)) }
    return reads
  }

  /// The result keys Ansible's `copy` and `template` report that are known before acting:
  /// `dest`, `state`, `size`, and the attributes asked for.
  public var resultValues: [String: JSONValue] {
    var values: [String: JSONValue] = [
      "dest": .string(path.rawValue), "state": "file", "size": .int(content.count),
    ]
    if let mode = attributes.mode { values["mode"] = .string(mode.text) }
    if let owner = attributes.owner { values["owner"] = .string(owner) }
    if let group = attributes.group { values["group"] = .string(group) }
    return values
  }

  /// The plan that makes the host's file this one. `values` are the step's result keys
  /// (often `resultValues`); `backup_file` is added when a backup will be made.
  public func plan(in context: PlanContext, reporting values: [String: JSONValue]) async throws
    -> Plan
  {
    let current = try await context.contents(of: path)
    if current != nil, !force { return .unchanged(values: values) }
    var note: String?
    if current == nil, requiresParentDirectory, try await !parentIsDirectory(in: context) {
      let message = "Destination directory \(path.parent) does not exist"
      guard context.isCheckMode else { throw ModuleError(message) }
      note = message + " (yet)"
    }
    let existing =
      current != nil && !attributes.isEmpty ? try await context.gather(status) : nil
    if let current, isUpToDate(current, content) {
      let differences = attributes.differences(from: existing, isDirectory: false)
      guard !differences.isEmpty else { return .unchanged(values: values) }
      return Plan([attributes.change(applying: differences, to: path)], values: values)
    }
    var values = values
    // The backup is made by the write, once validation passed (a rejected file leaves none);
    // one made in the same second has the same name: GNU cp moves the older aside as
    // `<name>.~N~` instead of overwriting it, so no old content is ever lost.
    let backupPath = backup && current != nil ? Self.backupPath(for: path, at: Date()) : nil
    if let backupPath { values["backup_file"] = .string(backupPath.rawValue) }
    let mode =
      attributes.resultingMode(current: existing?.mode, isDirectory: false)
      ?? (current == nil ? newFileMode : nil)
    let write = FileWrite(
      content, to: path, mode: mode, owner: attributes.owner, group: attributes.group,
      validate: try validation?.command(), backup: backupPath)
    let change = Change(
      "\(current == nil ? "create" : "update") \(path)",
      diff: diff(before: current), actions: [.write(write)])
    return Plan([change], note: note, values: values)
  }

  /// Why `path` cannot be a managed file's destination (relative, or a directory path ending
  /// in `/`), worded for a `dest` argument; nil when it can.
  public static func destinationProblem(_ path: HostPath) -> String? {
    if !path.isAbsolute { return "expected an absolute path, found '\(path)'" }
    if path.rawValue.hasSuffix("/") {
      return "expected a file path, found a directory path ending in '/': '\(path)'"
    }
    return nil
  }

  private var status: FileStatus { FileStatus(of: path, followingLinks: true) }
  private var parentStatus: FileStatus { FileStatus(of: path.parent, followingLinks: true) }

  private func parentIsDirectory(in context: PlanContext) async throws -> Bool {
    try await context.gather(parentStatus)?.kind == .directory
  }

  /// Before/after text with `before: <path>` / `after: <afterHeader>` headers (no `before:`
  /// header for a new file, as Ansible prints it).
  private func diff(before: Data?) -> Diff {
    var text = (
      before: before.map { String(decoding: $0, as: UTF8.self) } ?? "",
      after: String(decoding: content, as: UTF8.self)
    )
    switch diffContent {
    case .shown: break
    case .masked(let mask): text = mask.masking(before: text.before, after: text.after)
    case .hidden: text = ("", "")
    }
    return Diff(
      before: text.before, after: text.after, beforeHeader: before == nil ? nil : path.rawValue,
      afterHeader: afterHeader, isHidden: diffContent == .hidden)
  }

  /// `<path>.<YYYY-MM-DD@HH:MM:SS>~` in local time, Ansible's backup name without the pid
  /// (Ansible's module process differs per task; ours does not, so the copy itself keeps an
  /// earlier backup of the same second, see `plan`).
  static func backupPath(for path: HostPath, at date: Date) -> HostPath {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
    return HostPath(path.rawValue + "." + formatter.string(from: date) + "~")
  }
}
