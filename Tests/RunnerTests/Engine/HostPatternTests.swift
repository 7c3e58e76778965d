import Engine
import Testing

/// Ansible's host patterns (a play's `hosts`, `--limit`): `,`/`:` lists, `!` exclusions,
/// `&` intersections applied after the additions, globs over host and group names.
@Suite struct HostPatternTests {
  static let inventory = Inventory(
    hosts: ["a1", "a2", "b1", "web.example.com"].map { InventoryHost(name: $0) },
    groups: ["web": ["a1", "a2"], "db": ["b1"], "empty": []])

  struct Case: CustomTestStringConvertible, Sendable {
    var pattern: String
    var hosts: [String]
    var unknown: [String] = []
    var testDescription: String { "'\(pattern)'" }
  }

  static let cases: [Case] = [
    Case(pattern: "all", hosts: ["a1", "a2", "b1", "web.example.com"]),
    Case(pattern: "*", hosts: ["a1", "a2", "b1", "web.example.com"]),
    Case(pattern: "web", hosts: ["a1", "a2"]),
    Case(pattern: "b1,a1", hosts: ["a1", "b1"]),
    Case(pattern: " web : db ", hosts: ["a1", "a2", "b1"]),
    // A leading exclusion or intersection starts from all hosts.
    Case(pattern: "!b1", hosts: ["a1", "a2", "web.example.com"]),
    Case(pattern: "&web", hosts: ["a1", "a2"]),
    // Additions first, then intersections, then exclusions, wherever they are written.
    Case(pattern: "!a1:web", hosts: ["a2"]),
    Case(pattern: "&web,!a2,all", hosts: ["a1"]),
    // Globs, over host names and group names.
    Case(pattern: "a*", hosts: ["a1", "a2"]),
    Case(pattern: "?1", hosts: ["a1", "b1"]),
    Case(pattern: "[ab]1", hosts: ["a1", "b1"]),
    Case(pattern: "[!a]1", hosts: ["b1"]),
    Case(pattern: "[a-b]2", hosts: ["a2"]),
    Case(pattern: "w*", hosts: ["a1", "a2", "web.example.com"]),
    Case(pattern: "*.example.com", hosts: ["web.example.com"]),
    // Only `all` itself names the `all` group; a glob never does (Ansible #5375).
    Case(pattern: "al*", hosts: [], unknown: ["al*"]),
    Case(pattern: "all:!*.example.com:!d?", hosts: ["a1", "a2"]),
    // An empty group matches no host but is no unknown name.
    Case(pattern: "empty", hosts: []),
    // Names and globs that match nothing are reported, and match no host.
    Case(pattern: "ghost", hosts: [], unknown: ["ghost"]),
    Case(pattern: "z*", hosts: [], unknown: ["z*"]),
    Case(pattern: "a[1", hosts: [], unknown: ["a[1"]),
    Case(pattern: "web:!ghost", hosts: ["a1", "a2"], unknown: ["ghost"]),
    Case(pattern: "all:&ghost", hosts: [], unknown: ["ghost"]),
  ]

  @Test(arguments: cases)
  func `selects the hosts Ansible selects, in inventory order`(_ testCase: Case) {
    let selection = Self.inventory.select(testCase.pattern)
    #expect(selection.hosts.map(\.name) == testCase.hosts)
    #expect(selection.unknown == testCase.unknown)
  }

  @Test func `a literal bracket without its closing one matches itself`() {
    let inventory = Inventory(hosts: [InventoryHost(name: "a[1")])
    #expect(inventory.select("a[1").hosts.map(\.name) == ["a[1"])
  }

  @Test func `--limit with a leading exclusion or a glob runs the hosts it selects`() async throws {
    for (limit, ran) in [("!b1", ["a1", "a2"]), ("a*", ["a1", "a2"]), ("b?", ["b1"])] {
      var run = TestRun(hosts: ["a1", "a2", "b1"])
      run.options.limit = limit
      try await run.run(#"[{"hosts": "all", "tasks": [{"name": "t", "ok": {}}]}]"#)
      #expect(run.sink.results(of: "t").keys.sorted() == ran, "--limit '\(limit)'")
    }
  }

  @Test func `a --limit that excludes every host is an error, as in Ansible`() async throws {
    var run = TestRun(hosts: ["b1"])
    run.options.limit = "!b1"
    let error = await #expect(throws: DefinitionErrors.self) {
      try await run.run(#"[{"hosts": "all", "tasks": [{"name": "t", "ok": {}}]}]"#)
    }
    #expect(error?.description.contains("--limit '!b1' leaves no host to target") == true)
    #expect(run.sink.results(of: "t").isEmpty)
  }
}
