import Engine
import Foundation
import Synchronization
import Testing

/// Each step's module value is made once per host and loop item and validated once, then
/// shared by validation, the prefetch and execution.
@Suite struct ResolvedStepTests {
  /// Counts, per test (its `tally`), how often a `counted` value is decoded, made in Swift,
  /// validated and planned.
  final class Tally: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func add(_ event: String) { counts.withLock { $0[event, default: 0] += 1 } }
    subscript(_ event: String) -> Int { counts.withLock { $0[event] ?? 0 } }
    /// How often events starting with `prefix` happened.
    func count(startingWith prefix: String) -> Int {
      counts.withLock { $0.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +) }
    }
  }

  /// The tallies of the tests running now, by the id a playbook names.
  static let tallies = Mutex<[String: Tally]>([:])

  static func tally(_ id: String) -> Tally {
    guard let tally = tallies.withLock({ $0[id] }) else {
      preconditionFailure("no tally '\(id)': the test did not make one")
    }
    return tally
  }

  struct Counted: PlaybookModule, PrefetchingModule, ValidatingModule {
    static let name: ModuleName = "counted"
    var tally: String
    var key: String

    enum CodingKeys: String, CodingKey, CaseIterable { case tally, key }

    init(tally: String, key: String) {
      self.tally = tally
      self.key = key
      ResolvedStepTests.tally(tally).add("made \(key)")
    }

    init(from decoder: any Decoder) throws {
      let args = try ArgumentReader(decoder, keys: CodingKeys.self)
      tally = args.required(.tally) ?? ""
      key = args.required(.key) ?? ""
      try args.finish()
      ResolvedStepTests.tally(tally).add("decoded \(key)")
    }

    var argumentProblems: [KeyedProblem<CodingKeys>] {
      ResolvedStepTests.tally(tally).add("validated \(key)")
      return key.hasPrefix("bad") ? [KeyedProblem(.key, "'\(key)' is refused")] : []
    }

    func reads(for host: InventoryHost) -> [HostRead] { [.file(HostPath("/etc/\(key)"))] }

    func plan(in context: PlanContext) async throws -> Plan {
      ResolvedStepTests.tally(tally).add("planned \(key)")
      _ = try await context.contents(of: HostPath("/etc/\(key)"))
      return .unchanged()
    }
  }

  /// A role whose steps are built in Swift, one with a loop.
  struct SwiftSteps: Role {
    static let name: RoleName = "swift_steps"
    static let variableNames = ["tally"]
    var tally: String
    init(from decoder: any Decoder) throws {
      let args = try ArgumentReader(decoder, keys: Keys.self)
      tally = args.required(.tally) ?? ""
      try args.finish()
    }
    enum Keys: String, CodingKey, CaseIterable { case tally }
    var steps: [Step] {
      let tally = tally
      Step("one") { Counted(tally: tally, key: "swift") }
      Step("each", loop: ["s1", "s2"]) { item in
        Counted(tally: tally, key: item.stringValue ?? "")
      }
    }
  }

  /// Answers every probe as an absent file, in one batch, counting the batches.
  final class EmptyHost: PrefetchingConnection {
    let batches = Mutex(0)
    func run(_ command: Command) async throws -> CommandOutput {
      CommandOutput(exitCode: 127, stdout: "", stderr: "no commands here")
    }
    func read(_ path: HostPath) async throws -> Data? { nil }
    func write(_ file: FileWrite) async throws { throw ModuleError("no writes here") }
    func answer(_ probes: [HostRead]) async throws -> [ReadAnswer] {
      batches.withLock { $0 += 1 }
      return probes.map { _ in .file(nil) }
    }
    var prefetchesAgainAfterChanges: Bool { true }
  }

  struct EmptyHosts: ConnectionFactory {
    let host = EmptyHost()
    func connection(to host: InventoryHost) async throws -> any Connection { self.host }
    func closeAll() async {}
  }

  /// Runs `tasks` (and the Swift role) on h1 and h2 with a fresh tally.
  static func run(_ tasks: String, _ id: String = UUID().uuidString) async throws -> (
    Tally, PlayRecap?, (any Error)?
  ) {
    let tally = Tally()
    tallies.withLock { $0[id] = tally }
    defer { _ = tallies.withLock { $0.removeValue(forKey: id) } }
    let runner = PlaybookRunner(
      options: RunOptions(), roles: try RoleRegistry([SwiftSteps.self]),
      connections: EmptyHosts())
    let json = """
      [{"hosts": "all", "vars": {"tally": "\(id)", "keys": ["j1", "j2"]},
        "roles": [{"role": "swift_steps", "vars": {"tally": "{{ tally }}"}}],
        "tasks": \(tasks)}]
      """
    let playbook = try PlaybookLoader(modules: try ModuleRegistry([Counted.self]))
      .load(Data(json.utf8), file: "counted.json")
    let inventory = Inventory(hosts: [InventoryHost(name: "h1"), InventoryHost(name: "h2")])
    do {
      let prepared = try runner.prepare(playbook, inventory: inventory)
      return (tally, await runner.run(prepared.plays, reportingTo: RecordingSink()), nil)
    } catch {
      return (tally, nil, error)
    }
  }

  @Test func `every value is made and validated once per host and item, then planned from`()
    async throws
  {
    let (tally, recap, error) = try await Self.run(
      """
      [{"name": "plain", "counted": {"tally": "{{ tally }}", "key": "json"}},
       {"name": "looped", "counted": {"tally": "{{ tally }}", "key": "{{ item }}"},
        "loop": "{{ keys }}"}]
      """)
    #expect(error == nil, "\(String(describing: error))")
    #expect(recap?.exitCode == 0)
    for key in ["json", "j1", "j2"] {
      #expect(tally["decoded \(key)"] == 2, "once on each of two hosts: \(key)")
      #expect(tally["validated \(key)"] == 2, "\(key)")
      #expect(tally["planned \(key)"] == 2, "\(key)")
    }
    for key in ["swift", "s1", "s2"] {
      #expect(tally["made \(key)"] == 2, "once on each of two hosts: \(key)")
      #expect(tally["validated \(key)"] == 2, "\(key)")
      #expect(tally["planned \(key)"] == 2, "\(key)")
    }
  }

  @Test func `a value refused by validate stops the run before any host is asked`() async throws {
    let (tally, recap, error) = try await Self.run(
      #"[{"name": "bad", "counted": {"tally": "{{ tally }}", "key": "bad"}}]"#)
    #expect(recap == nil)
    let problems = try #require(error as? DefinitionErrors).problems.map(\.message)
    #expect(problems == ["step 'bad' (counted): key: 'bad' is refused"])
    #expect(tally["validated bad"] == 2)
    #expect(tally["planned bad"] == 0)
  }

  @Test func `a value first made while running is validated there, and refused`() async throws {
    // `key` comes from a result registered by an earlier step: validation defers it.
    let (tally, recap, error) = try await Self.run(
      """
      [{"name": "first", "counted": {"tally": "{{ tally }}", "key": "json"},
        "register": "first"},
       {"name": "late", "counted": {"tally": "{{ tally }}",
        "key": "bad-{{ first.changed }}"}}]
      """)
    #expect(error == nil, "\(String(describing: error))")
    #expect(recap?.exitCode == 2)
    #expect(tally.count(startingWith: "validated bad-") == 2)
    #expect(tally.count(startingWith: "planned bad-") == 0, "plan never sees an invalid value")
  }
}
