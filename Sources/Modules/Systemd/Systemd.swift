public import Engine

/// Ansible's `systemd_service`: start, stop, restart or reload units, enable or mask them,
/// and reload systemd's configuration, for one unit or many in one step.
///
/// Many units (`names`) are read with one `systemctl show` and changed with one
/// `systemctl <verb>` per verb, so starting N template instances (`dci-api@0.service` …)
/// costs two round trips, not 2N. Template instances are ordinary names.
public struct Systemd: PlaybookModule {
  public static let name: ModuleName = "systemd"

  /// What the units should be doing, as Ansible's `state`.
  public enum State: String, Sendable, Hashable, Decodable, CaseIterable {
    /// Start when not running.
    case started
    /// Stop when running (or stopping).
    case stopped
    /// Always restart (start when not running): changed every run.
    case restarted
    /// Always reload (start when not running): changed every run.
    case reloaded
  }

  /// One unit (Ansible's `name`); combined with `names` when both are given.
  public var name: String?
  /// Several units handled together, read in one query and changed in one command per verb.
  public var names: [String]
  public var state: State?
  /// Whether the units start at boot (`systemctl enable`/`disable`).
  public var enabled: Bool?
  /// Whether the units are masked (`systemctl mask`/`unmask`).
  public var masked: Bool?
  /// Reload systemd's configuration first when a named unit needs it (see `Systemd+Planning`).
  public var daemonReload: Bool
  public var scope: SystemdScope
  /// Do not wait for start/stop/restart/reload jobs to finish (`--no-block`).
  public var noBlock: Bool

  public init(
    name: String? = nil, names: [String] = [], state: State? = nil, enabled: Bool? = nil,
    masked: Bool? = nil, daemonReload: Bool = false, scope: SystemdScope = .system,
    noBlock: Bool = false
  ) {
    self.name = name
    self.names = names
    self.state = state
    self.enabled = enabled
    self.masked = masked
    self.daemonReload = daemonReload
    self.scope = scope
    self.noBlock = noBlock
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case name, names, state, enabled, masked
    case daemonReload = "daemon_reload"
    case scope
    case noBlock = "no_block"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    name = args.optional(.name)
    names = args.optional(.names, default: [])
    state = args.choice(.state)
    enabled = args.optional(.enabled)
    masked = args.optional(.masked)
    daemonReload = args.optional(.daemonReload, default: false)
    scope = args.choice(.scope) ?? .system
    noBlock = args.optional(.noBlock, default: false)
    // A `state` given but unknown is reported as such, not also as missing.
    try args.finish(checking: self)
  }

  /// Every unit named, `name` first, duplicates dropped.
  public var units: [String] {
    var seen: Set<String> = []
    return ([name].compactMap { $0 } + names).filter { seen.insert($0).inserted }
  }

  /// Argument combinations Ansible rejects, plus names that cannot be unit names here.
  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    var found: [KeyedProblem<CodingKeys>] = []
    if state == nil, enabled == nil, masked == nil, !daemonReload {
      found.append(
        .init(.state, "one of 'state', 'enabled', 'masked' or 'daemon_reload' is required"))
    }
    if units.isEmpty, state != nil || enabled != nil || masked != nil {
      found.append(.init(.name, "'state', 'enabled' and 'masked' need a unit in 'name' or 'names'"))
    }
    for unit in units {
      if unit.isEmpty || unit.contains(where: { $0.isWhitespace }) {
        found.append(.init(.names, "'\(unit)' is not a unit name"))
      } else if unit.contains(where: { "*?[".contains($0) }) {
        found.append(.init(.names, "'\(unit)': globs are not supported; name each unit"))
      } else if unit.hasPrefix("-") {
        found.append(.init(.names, "'\(unit)' is not a unit name (it starts with '-')"))
      } else if unit.hasSuffix("@") || unit.contains("@.") {
        // systemctl refuses the whole query for a template without an instance.
        let base = unit.prefix { $0 != "@" }
        found.append(
          .init(.names, "'\(unit)' is a template; name an instance such as '\(base)@0.service'"))
      }
    }
    return found
  }
}

extension Systemd: ValidatingModule {}
