public import Foundation

/// Reads a JSON inventory, reporting every problem at once with its JSON path:
///
/// ```json
/// { "hosts": { "h1": { "address": "172.30.214.11", "user": "root", "connection": "ssh",
///                      "become": false, "port": 22, "identity_file": "/k",
///                      "vars": { "x": 1 } } },
///   "groups": { "web": { "hosts": ["h1"], "children": [], "vars": {} } },
///   "vars": { "for_all": true } }
/// ```
///
/// A host entry's keys beyond the engine's own (`TransportOptionReader.engineKeys`) belong to
/// its transport (`port`, `identity_file` are ssh's), which checks them (`Transport`).
public enum InventoryLoader {
  enum TopKey: String, CodingKey, CaseIterable { case hosts, groups, vars }
  enum GroupKey: String, CodingKey, CaseIterable { case hosts, children, vars }

  public static func load(
    _ data: Data, file: String, vars: VarsDirectories = .none,
    defaults: ConnectionDefaults = ConnectionDefaults(), transports: TransportRegistry
  ) throws -> Inventory {
    try load([(data, file)], vars: vars, defaults: defaults, transports: transports)
  }

  /// Several `-i` sources, merged as Ansible merges them: one host named in two sources is
  /// one host, its settings and variables from the later source winning key by key; a
  /// group's hosts and children are the union, its variables merged the same way; a group
  /// may list a host another source defines. Each source is checked on its own first, so a
  /// problem names its file.
  ///
  /// A source is JSON or Ansible's INI format (`INIInventory`); `vars` are the `group_vars/`
  /// and `host_vars/` directories to read for the hosts and groups found; `defaults` what
  /// every host starts from (runner's settings file).
  public static func load(
    _ sources: [(data: Data, file: String)], vars: VarsDirectories = .none,
    defaults: ConnectionDefaults = ConnectionDefaults(), transports: TransportRegistry
  ) throws -> Inventory {
    var documents: [JSONValue] = []
    var problems: [Diagnostic] = []
    for (data, file) in sources {
      let text = String(decoding: data, as: UTF8.self)
      do {
        if INIInventory.isINI(text, file: file) {
          documents.append(try INIInventory.document(text, file: file))
        } else {
          documents.append(try JSONValue.parse(data))
        }
      } catch let error as DefinitionErrors {
        problems += error.problems
      } catch let error as JSONSyntaxError {
        problems.append(PlaybookLoader.diagnostic(for: error, in: file))
      } catch {
        problems.append(Diagnostic(at: SourceLocation(file: file), "\(error)"))
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    if documents.count == 1, let document = documents.first, let file = sources.first?.file {
      return try load(
        document, file: file, otherHosts: [], vars: vars, defaults: defaults,
        transports: transports)
    }
    let allHosts = Set(
      documents.flatMap { document in
        document.objectValue?["hosts"]?.objectValue.map { Array($0.keys) } ?? []
      })
    for (document, source) in zip(documents, sources) {
      do {
        _ = try load(
          document, file: source.file, otherHosts: allHosts, transports: transports)
      } catch let error as DefinitionErrors {
        problems += error.problems
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    let merged = documents.dropFirst().reduce(documents.first ?? .object([:]), merging)
    return try load(
      merged, file: sources.map(\.file).joined(separator: " + "), otherHosts: [], vars: vars,
      defaults: defaults, transports: transports)
  }

  /// `later` merged over `earlier`, as `load(_ sources:)` describes.
  private static func merging(_ earlier: JSONValue, _ later: JSONValue) -> JSONValue {
    guard case .object(var result) = earlier, case .object(let over) = later else { return later }
    for (key, value) in over {
      if ["hosts", "children"].contains(key), let old = result[key]?.arrayValue,
        let new = value.arrayValue
      {
        result[key] = .array(old + new.filter { !old.contains($0) })  // a group's members
      } else if let old = result[key], old.objectValue != nil, value.objectValue != nil {
        result[key] = merging(old, value)
      } else {
        result[key] = value
      }
    }
    return .object(result)
  }

  /// One source; `otherHosts` are hosts other sources define, which its groups may list.
  private static func load(
    _ document: JSONValue, file: String, otherHosts: Set<String>,
    vars varsDirectories: VarsDirectories = .none,
    defaults: ConnectionDefaults = ConnectionDefaults(), transports: TransportRegistry
  ) throws -> Inventory {
    let reader = DocumentReader(file: file)
    guard
      let top = reader.object(
        document, at: .root, what: "the inventory", keys: TopKey.self, kind: "inventory")
    else { throw DefinitionErrors(reader.problems) }
    let allVars = top.object(.vars, what: "vars") ?? [:]
    var hosts: [InventoryHost] = []
    var hostVars: [String: [String: JSONValue]] = [:]
    let hostsPath = top.path(.hosts)
    if let members = top.object(.hosts, what: "hosts") {
      for name in members.keys.sorted(by: { hostOrder(members, $0, $1) }) {
        guard
          let host = host(
            name, members[name] ?? .null, at: hostsPath.appending(name), reader: reader,
            defaults: defaults, transports: transports)
        else { continue }
        hostVars[name] = host.vars
        hosts.append(host.host)
      }
    } else if !top.contains(.hosts) {
      reader.problem(.root, "an inventory needs 'hosts' (an object of host name to settings)")
    }
    let groups = self.groups(
      top[.groups], hosts: hosts.map(\.name), otherHosts: otherHosts, reader: reader)
    for host in hosts { reader.absorb(entryProblems(host, transports: transports)) }
    if !reader.problems.isEmpty { throw DefinitionErrors(reader.problems) }
    func sources(_ vars: [String: JSONValue], _ path: JSONPath) -> [String: SourceLocation] {
      Dictionary(uniqueKeysWithValues: vars.keys.map { ($0, reader.location(path.appending($0))) })
    }
    var fileProblems: [Diagnostic] = []
    // each file is read once, however many hosts it applies to (a vault decrypted once)
    struct FilesKey: Hashable {
      var kind: VarsDirectories.Kind
      var name: String
      var directory: String
    }
    var cache: [FilesKey: [VarsDirectories.FileVars]] = [:]
    func files(_ kind: VarsDirectories.Kind, _ name: String, in directory: String)
      -> [VarsDirectories.FileVars]
    {
      let key = FilesKey(kind: kind, name: name, directory: directory)
      if let known = cache[key] { return known }
      let found = varsDirectories.files(kind, name, in: directory, problems: &fileProblems)
      cache[key] = found
      return found
    }
    func merge(
      _ found: [VarsDirectories.FileVars], into vars: inout [String: JSONValue],
      _ origins: inout [String: SourceLocation]
    ) {
      for file in found {
        vars.merge(file.vars) { _, new in new }
        for key in file.vars.keys {
          origins[key] = SourceLocation(file: file.file, path: JSONPath.root.appending(key))
        }
      }
    }
    // Ansible's precedence, lowest first: the inventory's `all` vars; group_vars/all beside
    // each inventory, then beside the playbook; every group's inventory vars (parents first,
    // then by name); every group's group_vars file, inventories' first; the host's inventory
    // vars; host_vars/<host>, inventories' first.
    let directories = varsDirectories.directories
    for index in hosts.indices {
      let name = hosts[index].name
      var merged = allVars
      var origins = sources(allVars, top.path(.vars))
      for directory in directories {
        merge(files(.group, "all", in: directory), into: &merged, &origins)
      }
      let member = groups.order.filter { groups.members[$0, default: []].contains(name) }
      for group in member {
        let vars = groups.vars[group, default: [:]]
        merged.merge(vars) { _, new in new }
        origins.merge(
          sources(vars, JSONPath.root.appending("groups").appending(group).appending("vars"))
        ) { _, new in new }
      }
      for directory in directories {
        for group in member { merge(files(.group, group, in: directory), into: &merged, &origins) }
      }
      var own = hostVars[name] ?? [:]
      origins.merge(sources(own, hostsPath.appending(name).appending("vars"))) { _, new in new }
      for directory in directories {
        merge(files(.host, name, in: directory), into: &own, &origins)
      }
      hosts[index].groupVariables = merged
      hosts[index].hostVariables = own
      hosts[index].groups = ["all"] + member
      hosts[index].variableSources = origins
      fileProblems += ConnectionVariables.apply(
        merged.merging(own) { _, new in new }, to: &hosts[index].connection, host: name,
        sources: origins, transports: transports)
      if let transport = transports.transport(named: hosts[index].connection.transport) {
        fileProblems += transport.problems(in: hosts[index])
      }
    }
    if !fileProblems.isEmpty { throw DefinitionErrors(fileProblems) }
    return Inventory(hosts: hosts, groups: groups.members)
  }

  /// JSON objects have no order, so "inventory order" is the hosts' names in natural order
  /// (`th2` before `th10`): deterministic output whatever the decoder does.
  private static func hostOrder(_ members: [String: JSONValue], _ a: String, _ b: String) -> Bool {
    a.localizedStandardCompare(b) == .orderedAscending
  }

  private static func host(
    _ name: String, _ value: JSONValue, at path: JSONPath, reader: DocumentReader,
    defaults: ConnectionDefaults, transports: TransportRegistry
  ) -> (host: InventoryHost, vars: [String: JSONValue])? {
    typealias Key = TransportOptionReader.EngineKey
    guard let members = reader.object(value, at: path, what: "host '\(name)'") else { return nil }
    reader.rejectUnknown(
      members, known: TransportOptionReader.engineKeys + transports.settingKeys, at: path,
      what: "host")
    let keys = KeyedObject<Key>(members: members, path: path, reader: reader)
    var settings = ConnectionSettings(
      transport: defaults.transport ?? "ssh",
      options: TransportOptions(defaults: defaults.options))
    if let text = keys.string(.connection) {
      if let transport = transports.transport(named: TransportName(text)) {
        settings.transport = transport.name
      } else {
        keys.problem(.connection, "expected \(transports.namesForMessages), found '\(text)'")
      }
    } else if defaults.transport == nil, !keys.contains(.address),
      name == "localhost" || name == "127.0.0.1"
    {
      settings.transport = "local"
    }
    settings.address = keys.string(.address) ?? name
    settings.user = keys.string(.user) ?? defaults.user
    settings.become = keys.bool(.become) ?? defaults.become ?? false
    settings.becomeUser = keys.string(.becomeUser) ?? defaults.becomeUser
    for (key, value) in members where Key(stringValue: key) == nil {
      settings.options.entry[key] = SourcedValue(value, at: reader.location(path.appending(key)))
    }
    let vars = keys.object(.vars, what: "host vars") ?? [:]
    return (InventoryHost(name: name, connection: settings), vars)
  }

  /// The problems of a host entry's own settings, before its variables are known: a bad value
  /// for any transport that reads that key, so `port: 70000` is refused on a `local` host too.
  /// (A key no transport reads was refused with the entry.)
  private static func entryProblems(
    _ host: InventoryHost, transports: TransportRegistry
  ) -> [Diagnostic] {
    let entry = host.connection.options.entry
    var problems: [Diagnostic] = []
    var entryOnly = host
    entryOnly.connection.options = TransportOptions(entry: entry)
    for transport in transports.transports
    where transport.name == host.connection.transport
      || transport.settingKeys.contains(where: { entry[$0] != nil })
    {
      for problem in transport.problems(in: entryOnly) where !problems.contains(problem) {
        problems.append(problem)
      }
    }
    return problems
  }

  private static func groups(
    _ value: JSONValue?, hosts: [String], otherHosts: Set<String>, reader: DocumentReader
  ) -> (members: [String: [String]], vars: [String: [String: JSONValue]], order: [String]) {
    let path = JSONPath.root.appending("groups")
    guard let value, let groups = reader.object(value, at: path, what: "groups") else {
      return ([:], [:], [])
    }
    var direct: [String: [String]] = [:]
    var children: [String: [String]] = [:]
    var vars: [String: [String: JSONValue]] = [:]
    for (name, body) in groups {
      let groupPath = path.appending(name)
      if hosts.contains(name) {
        reader.problem(groupPath, "group '\(name)' has the name of a host")
      }
      guard
        let keys = reader.object(
          body, at: groupPath, what: "group '\(name)'", keys: GroupKey.self, kind: "group")
      else { continue }
      direct[name] = keys.strings(.hosts)
      for (index, host) in direct[name, default: []].enumerated()
      where !hosts.contains(host) && !otherHosts.contains(host) {
        reader.problem(
          keys.path(.hosts).appending(index),
          "group '\(name)' lists unknown host '\(host)'" + Spelling.suggestion(for: host, in: hosts)
        )
      }
      children[name] = keys.strings(.children)
      for child in children[name, default: []] where groups[child] == nil {
        keys.problem(
          .children,
          "group '\(name)' has unknown child group '\(child)'"
            + Spelling.suggestion(for: child, in: groups.keys))
      }
      vars[name] = keys.object(.vars, what: "group vars") ?? [:]
    }
    func expand(_ name: String, _ seen: [String]) -> [String] {
      if seen.contains(name) {
        reader.problem(
          path.appending(name), "group cycle: " + (seen + [name]).joined(separator: " -> "))
        return []
      }
      var result = direct[name, default: []]
      for child in children[name, default: []] {
        result += expand(child, seen + [name]).filter { !result.contains($0) }
      }
      return result
    }
    var members: [String: [String]] = [:]
    for name in groups.keys { members[name] = expand(name, []) }
    // Parents before children, then by name: a child's vars override its parent's (Ansible).
    let order = groups.keys.sorted {
      depth($0, children) < depth($1, children)
        || (depth($0, children) == depth($1, children) && $0 < $1)
    }
    return (members, vars, order)
  }

  private static func depth(_ group: String, _ children: [String: [String]]) -> Int {
    var depth = 0
    var current = [group]
    var seen: Set<String> = []
    while true {
      let parents = children.filter { _, kids in kids.contains { current.contains($0) } }.map(\.key)
        .filter { seen.insert($0).inserted }
      if parents.isEmpty { return depth }
      depth += 1
      current = parents
    }
  }
}
