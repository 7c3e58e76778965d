/// A play: which hosts, which variables, and what runs in which section. Ansible's order:
/// pre_tasks, flush, roles then tasks, flush, post_tasks, flush.
public struct Play: Sendable {
  public var name: String?
  /// A host pattern: names and groups separated by `,` or `:`, `all`, `!x`, `&x`.
  public var hosts: String
  public var variables: [String: JSONValue]
  public var preSteps: [Step]
  public var roles: [RoleInclusion]
  public var steps: [Step]
  public var postSteps: [Step]
  public var handlers: [Handler]
  /// `force_handlers`: set in the play it beats `--force-handlers`, either way (Ansible).
  public var forceHandlers: Bool?
  /// `check_mode` of the play: every step's default, under `--check` or not.
  public var checkMode: Bool?
  public var become: Bool?
  /// Hosts per batch (`serial`); nil runs all hosts as one batch.
  public var serial: Serial?
  public var anyErrorsFatal: Bool
  /// The play's `tags`, which every step of it carries.
  public var tags: Set<String> = []
  public var strategy: Strategy = .linear
  /// Whether the play's text names `hostvars`, which is then built for its steps (it holds
  /// every host's variables, so a play that never reads it does not pay for it).
  public var namesHostVariables = false
  public var maxFailPercentage: Double?
  public var source: SourceLocation

  public init(
    name: String? = nil, hosts: String = "all", variables: [String: JSONValue] = [:],
    preSteps: [Step] = [], roles: [RoleInclusion] = [], steps: [Step] = [],
    postSteps: [Step] = [], handlers: [Handler] = [], forceHandlers: Bool? = nil,
    become: Bool? = nil, serial: Serial? = nil, anyErrorsFatal: Bool = false,
    maxFailPercentage: Double? = nil, source: SourceLocation? = nil,
    fileID: String = #fileID, line: Int = #line
  ) {
    self.name = name
    self.hosts = hosts
    self.variables = variables
    self.preSteps = preSteps
    self.roles = roles
    self.steps = steps
    self.postSteps = postSteps
    self.handlers = handlers
    self.forceHandlers = forceHandlers
    self.become = become
    self.serial = serial
    self.anyErrorsFatal = anyErrorsFatal
    self.maxFailPercentage = maxFailPercentage
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }

  /// The banner name: the play's name, or its host pattern as Ansible prints it.
  public var displayName: String { name ?? hosts }
}

/// How hosts move through a play's steps: `linear` runs step k on no host before step k-1
/// finished on all; `free` lets each host run its steps as fast as it can.
public enum Strategy: String, Sendable, Hashable, CaseIterable {
  case linear, free
}

/// `serial:` — a count, a percentage, or a list whose last value repeats.
public enum Serial: Sendable, Hashable {
  case count(Int)
  case percent(Double)
  case steps([Serial])

  /// Splits hosts into batches.
  public func batches<T>(_ hosts: [T]) -> [[T]] {
    var sizes: [Int] = []
    var remaining = hosts.count
    var plan: [Serial] = if case .steps(let list) = self { list } else { [self] }
    while remaining > 0 {
      let next = plan.count > 1 ? plan.removeFirst() : (plan.first ?? .count(remaining))
      let size: Int
      switch next {
      case .count(let count): size = max(1, count)
      case .percent(let percent): size = max(1, Int(Double(hosts.count) * percent / 100))
      case .steps: size = remaining
      }
      sizes.append(min(size, remaining))
      remaining -= min(size, remaining)
    }
    var batches: [[T]] = []
    var start = 0
    for size in sizes {
      batches.append(Array(hosts[start..<start + size]))
      start += size
    }
    return batches
  }
}

/// A role in a play or a dependency: by name or type with JSON variables (decoded per host),
/// or a Swift value.
public struct RoleInclusion: Sendable {
  public enum Reference: Sendable {
    case named(String, parameters: [String: JSONValue])
    case typed(any Role.Type, parameters: [String: JSONValue])
    case instance(any Role)
    /// A role read from its directory, with the entry's `vars` (role parameters).
    case directory(DataRole, parameters: [String: JSONValue])
  }

  public var reference: Reference
  public var source: SourceLocation
  /// The entry's `tags`: every step of the role and of its dependencies carries them.
  public var tags: Set<String> = []

  // The call site is captured by `#fileID`/`#line` defaults of each initializer itself: a
  // default of `.here()` would capture this file instead.

  public init(
    _ name: String, parameters: [String: JSONValue] = [:], source: SourceLocation? = nil,
    fileID: String = #fileID, line: Int = #line
  ) {
    self.reference = .named(name, parameters: parameters)
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }

  public init(
    _ role: any Role, source: SourceLocation? = nil, fileID: String = #fileID, line: Int = #line
  ) {
    self.reference = .instance(role)
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }

  public init(
    _ role: DataRole, parameters: [String: JSONValue] = [:], source: SourceLocation
  ) {
    self.reference = .directory(role, parameters: parameters)
    self.source = source
  }

  public init<R: Role>(
    _ type: R.Type, parameters: [String: JSONValue] = [:], source: SourceLocation? = nil,
    fileID: String = #fileID, line: Int = #line
  ) {
    self.reference = .typed(type, parameters: parameters)
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }
}

/// A whole playbook: plays run in order against one inventory.
public struct Playbook: Sendable {
  public var plays: [Play]
  public var source: String

  public init(plays: [Play], source: String = "<swift>") {
    self.plays = plays
    self.source = source
  }
}
