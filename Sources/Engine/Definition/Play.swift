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

/// A whole playbook: plays run in order against one inventory.
public struct Playbook: Sendable {
  public var plays: [Play]
  public var source: String

  public init(plays: [Play], source: String = "<swift>") {
    self.plays = plays
    self.source = source
  }
}
