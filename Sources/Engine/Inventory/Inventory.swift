import Foundation

/// The hosts and groups a playbook runs against, loaded from a JSON inventory:
///
/// ```json
/// { "hosts": { "web1": { "address": "10.0.0.5", "user": "root", "vars": { "x": 1 } } },
///   "groups": { "web": { "hosts": ["web1"], "vars": {}, "children": [] } },
///   "vars": { "applies_to": "all" } }
/// ```
public struct Inventory: Sendable {
  /// Hosts in inventory order.
  public var hosts: [InventoryHost]
  /// Group name to member host names (children expanded), `all` included.
  public var groups: [String: [String]]

  public init(hosts: [InventoryHost], groups: [String: [String]] = [:]) {
    self.hosts = hosts
    var groups = groups
    groups["all"] = hosts.map(\.name)
    self.groups = groups
  }

  /// The implicit inventory without `-i`: localhost over the local connection.
  public static let localhost = Inventory(hosts: [InventoryHost(name: "localhost")])

  /// The implicit localhost (no `-i`), reached locally as in Ansible, becoming another user
  /// as the settings file or `-b`/`--become-user` say.
  public static func localhost(with defaults: ConnectionDefaults) -> Inventory {
    var connection = ConnectionSettings.local
    connection.options.defaults = defaults.options
    connection.become = defaults.become ?? false
    connection.becomeUser = defaults.becomeUser
    return Inventory(hosts: [InventoryHost(name: "localhost", connection: connection)])
  }

  public func host(named name: String) -> InventoryHost? {
    hosts.first { $0.name == name }
  }

  /// Resolves a play's `hosts` or a `--limit` pattern as Ansible does (see `HostPattern`):
  /// hosts, groups, `all` and globs, added, intersected (`&`) or excluded (`!`), in
  /// inventory order. A term that matches no host or group name is reported in `unknown`
  /// (Ansible warns "Could not match supplied host pattern") and matches no host.
  public func select(_ pattern: String) -> (hosts: [InventoryHost], unknown: [String]) {
    var selected: Set<String> = []
    var unknown: [String] = []
    for term in HostPattern(pattern).terms {
      let members = self.members(matching: term.name)
      if members == nil { unknown.append(term.name) }
      let matched = Set(members ?? [])
      switch term.operation {
      case .add: selected.formUnion(matched)
      case .intersect: selected.formIntersection(matched)
      case .exclude: selected.subtract(matched)
      }
    }
    return (hosts.filter { selected.contains($0.name) }, unknown)
  }

  /// The hosts a single name or glob stands for, as Ansible's `_enumerate_matches`: the
  /// members of every group it matches, plus the hosts it matches when it matched no group
  /// or looks like a pattern. Only `all` itself names the `all` group: a glob such as `a*`
  /// means names starting with `a`, not every host (Ansible #5375). Nil when it matches no
  /// group and no host name (an empty group is a match).
  private func members(matching name: String) -> [String]? {
    let glob = Glob(name)
    let groupNames = groups.keys.filter { $0 == name || ($0 != "all" && glob.matches($0)) }
    let hostNames =
      groupNames.isEmpty || Glob.looksLikePattern(name)
      ? hosts.map(\.name).filter(glob.matches) : []
    guard !groupNames.isEmpty || !hostNames.isEmpty else { return nil }
    return groupNames.flatMap { groups[$0] ?? [] } + hostNames
  }
}
