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

  public func host(named name: String) -> InventoryHost? {
    hosts.first { $0.name == name }
  }

  /// Resolves a play's `hosts` pattern: names, groups or `all`, separated by `,` or `:`;
  /// `!name` excludes and `&group` intersects, as in Ansible. Unknown names are reported.
  public func select(_ pattern: String) -> (hosts: [InventoryHost], unknown: [String]) {
    var selected: [String] = []
    var unknown: [String] = []
    let parts = pattern.split(whereSeparator: { $0 == "," || $0 == ":" })
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    for part in parts {
      let (op, name): (Character?, String) =
        part.first == "!" || part.first == "&"
        ? (part.first, String(part.dropFirst())) : (nil, part)
      let members: [String]
      if name == "*" {
        members = hosts.map(\.name)
      } else if let group = groups[name] {
        members = group
      } else if host(named: name) != nil {
        members = [name]
      } else {
        unknown.append(name)
        continue
      }
      switch op {
      case "!": selected.removeAll { members.contains($0) }
      case "&": selected.removeAll { !members.contains($0) }
      default: selected += members.filter { !selected.contains($0) }
      }
    }
    return (hosts.filter { selected.contains($0.name) }, unknown)
  }
}
