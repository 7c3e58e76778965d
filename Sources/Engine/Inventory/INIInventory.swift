import Foundation

/// Ansible's INI inventory (`-i hosts`, `-i hosts.ini`), read into the document
/// `InventoryLoader` reads from JSON, so both formats share one set of checks:
///
/// ```ini
/// gateway ansible_host=10.0.0.1        # before any section: the group "ungrouped"
/// [web]
/// web[01:03] ansible_port=2222 tier=frontend
/// web04:2200
/// [web:vars]
/// http_port=8080
/// [api:children]
/// web
/// [all:vars]
/// region=eu
/// ```
///
/// Values are read as ansible-core's ini plugin reads them (`PythonLiteral`); connection
/// variables (`ansible_host`, …) stay variables here and become the host's settings once all
/// its variables are merged (`ConnectionVariables`), wherever they were set.
enum INIInventory {
  /// Whether `file` is an INI inventory rather than JSON: a `.json` file, or text starting
  /// with `{`, is JSON.
  static func isINI(_ text: String, file: String) -> Bool {
    !file.hasSuffix(".json") && text.first { !$0.isWhitespace } != "{"
  }

  static func document(_ text: String, file: String) throws -> JSONValue {
    var parser = Parser(file: file)
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      parser.read(raw.trimmingCharacters(in: .whitespaces), line: number + 1)
    }
    return try parser.finish()
  }

  private enum Section {
    case hosts(group: String)
    case vars(group: String)
    case children(group: String)
  }

  private struct Parser {
    let file: String
    var section = Section.hosts(group: "ungrouped")
    var hostOrder: [String] = []
    var hostVars: [String: [String: JSONValue]] = [:]
    var groupOrder: [String] = []
    var groupHosts: [String: [String]] = [:]
    var groupChildren: [String: [String]] = [:]
    var groupVars: [String: [String: JSONValue]] = [:]
    /// `[g:vars]` sections, by group, with the line of the first: a group no section defines
    /// is an error at the end, as in ansible-core.
    var varsSections: [String: Int] = [:]
    var problems: [Diagnostic] = []

    init(file: String) { self.file = file }

    mutating func problem(_ line: Int, _ message: String) {
      problems.append(Diagnostic(at: SourceLocation(file: file, line: line), message))
    }

    mutating func read(_ line: String, line number: Int) {
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { return }
      if line.hasPrefix("[") {
        header(line, line: number)
        return
      }
      switch section {
      case .hosts(let group): host(line, group: group, line: number)
      case .vars(let group): variable(line, group: group, line: number)
      case .children(let group):
        let child = line.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? line
        define(child)
        if !groupChildren[group, default: []].contains(child) {
          groupChildren[group, default: []].append(child)
        }
      }
    }

    mutating func define(_ group: String) {
      guard group != "all", groupHosts[group] == nil else { return }
      groupHosts[group] = []
      groupOrder.append(group)
    }

    mutating func header(_ line: String, line number: Int) {
      guard line.hasSuffix("]") else {
        problem(
          number,
          "invalid section header '\(line)': expected [group], [group:vars] or [group:children]")
        return
      }
      let inside = line.dropFirst().dropLast()
      let parts = inside.split(separator: ":", maxSplits: 1).map(String.init)
      guard let name = parts.first, !name.isEmpty,
        !name.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" })
      else {
        problem(number, "invalid section header '\(line)': expected a group name")
        return
      }
      switch parts.count == 2 ? parts[1] : nil {
      case nil:
        define(name)
        section = .hosts(group: name)
      case "vars":
        if varsSections[name] == nil { varsSections[name] = number }
        section = .vars(group: name)
      case "children":
        define(name)
        section = .children(group: name)
      case let other?:
        problem(number, "invalid section header '\(line)': ':\(other)' is not :vars or :children")
      }
    }

    mutating func host(_ line: String, group: String, line number: Int) {
      var words: [String]
      do {
        words = try ShellWords.split(line)
      } catch {
        problem(number, "cannot split the host line: \(error.description)")
        return
      }
      if let comment = words.firstIndex(where: { $0.hasPrefix("#") }) {
        words.removeSubrange(comment...)
      }
      guard let pattern = words.first else { return }
      var vars: [String: JSONValue] = [:]
      for word in words.dropFirst() {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
          problem(number, "expected key=value host variable assignment, found '\(word)'")
          continue
        }
        vars[String(word[..<equals])] = PythonLiteral.value(
          of: String(word[word.index(after: equals)...]))
      }
      var name = pattern
      // `host:port`, the colon outside any range (`web[01:03]:2222`)
      let rangeEnd = pattern.lastIndex(of: "]") ?? pattern.startIndex
      if let colon = pattern.lastIndex(of: ":"), colon > rangeEnd || !pattern.contains("]"),
        pattern[rangeEnd...].filter({ $0 == ":" }).count == 1
      {
        let port = pattern[pattern.index(after: colon)...]
        guard let number = Int(port) else {
          problem(number, "host '\(pattern)': the port after ':' must be a number")
          return
        }
        name = String(pattern[..<colon])
        vars["ansible_port"] = vars["ansible_port"] ?? .int(number)
      }
      let names: [String]
      do {
        names = try HostRange.expand(name)
      } catch {
        problem(number, error.message)
        return
      }
      define(group)
      for host in names {
        if hostVars[host] == nil {
          hostOrder.append(host)
          hostVars[host] = [:]
        }
        hostVars[host]?.merge(vars) { _, new in new }
        if group != "all", !groupHosts[group, default: []].contains(host) {
          groupHosts[group, default: []].append(host)
        }
      }
    }

    mutating func variable(_ line: String, group: String, line number: Int) {
      guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
        problem(number, "expected key=value in [\(group):vars], found '\(line)'")
        return
      }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      groupVars[group, default: [:]][key] = PythonLiteral.value(of: value)
    }

    func finish() throws -> JSONValue {
      var problems = self.problems
      for (group, line) in varsSections.sorted(by: { $0.value < $1.value })
      where group != "all" && groupHosts[group] == nil {
        problems.append(
          Diagnostic(
            at: SourceLocation(file: file, line: line),
            "section [\(group):vars] is for group '\(group)', which no [\(group)] or "
              + "[\(group):children] section defines"))
      }
      if !problems.isEmpty { throw DefinitionErrors(problems) }
      var hosts: [String: JSONValue] = [:]
      for name in hostOrder {
        hosts[name] = .object(["vars": .object(hostVars[name] ?? [:])])
      }
      var groups: [String: JSONValue] = [:]
      for name in groupOrder where name != "ungrouped" || !(groupHosts[name] ?? []).isEmpty {
        groups[name] = .object([
          "hosts": .array((groupHosts[name] ?? []).map(JSONValue.string)),
          "children": .array((groupChildren[name] ?? []).map(JSONValue.string)),
          "vars": .object(groupVars[name] ?? [:]),
        ])
      }
      return .object([
        "hosts": .object(hosts), "groups": .object(groups),
        "vars": .object(groupVars["all"] ?? [:]),
      ])
    }
  }
}
