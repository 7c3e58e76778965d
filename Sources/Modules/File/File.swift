public import Engine

/// Ansible's `file`: makes a path a directory, a symlink, an existing file with the right
/// attributes, touched, or absent. Never writes content (that is `template`).
///
/// `state` defaults as Ansible's does: the current kind of the path when it exists,
/// `directory` with `recurse`, else `file` (which only fixes attributes of an existing file).
public struct File: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "file"

  public enum State: String, Sendable, Hashable, CaseIterable {
    case file, directory, absent, touch, link
  }

  public var path: HostPath
  public var state: State?
  public var attributes: FileAttributes
  /// Apply mode/owner/group to everything under a directory too.
  public var recurse: Bool
  /// The target of a `link` (relative to the link's directory unless absolute).
  public var source: String?
  /// `link`: replace an existing file, or link to a target that does not exist (yet).
  public var force: Bool

  public init(
    path: HostPath, state: State? = nil, mode: ModeSpec? = nil, owner: String? = nil,
    group: String? = nil, recurse: Bool = false, source: String? = nil, force: Bool = false
  ) {
    self.path = path
    self.state = state
    self.attributes = FileAttributes(mode: mode, owner: owner, group: group)
    self.recurse = recurse
    self.source = source
    self.force = force
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case path, state, mode, owner, group, recurse, source = "src", force
  }

  public init(from decoder: any Decoder) throws {
    let arguments = try ArgumentReader(decoder, keys: CodingKeys.self)
    path = arguments.required(.path) ?? "/"
    state = arguments.choice(.state)
    attributes = FileAttributes(
      mode: arguments.optional(.mode), owner: arguments.optional(.owner),
      group: arguments.optional(.group))
    recurse = arguments.optional(.recurse, default: false)
    source = arguments.optional(.source)
    force = arguments.optional(.force, default: false)
    try arguments.finish(checking: self)
  }

  /// Arguments that do not go together, keyed by the argument to blame.
  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    var problems: [KeyedProblem<CodingKeys>] = []
    if !path.isAbsolute {
      problems.append(.init(.path, "expected an absolute path, found '\(path)'"))
    }
    if recurse, let state, state != .directory {
      problems.append(
        .init(.recurse, "recurse requires state 'directory', found '\(state.rawValue)'"))
    }
    if source != nil, let state, state != .link {
      problems.append(.init(.source, "src requires state 'link', found '\(state.rawValue)'"))
    }
    if source == nil, state == .link {
      problems.append(.init(.source, "state 'link' requires src"))
    }
    return problems
  }

  public func reads(for host: InventoryHost) -> [HostRead] {
    var reads = [HostRead.fact(FileStatus(of: path))]
    if state == .link, let target = linkTarget, !force {
      reads.append(.fact(FileStatus(of: target, followingLinks: true)))
    }
    return reads
  }

  /// The path `source` points to, as the link's directory sees it.
  var linkTarget: HostPath? {
    guard let source else { return nil }
    return source.hasPrefix("/") ? HostPath(source) : path.parent.appending(source)
  }
}
