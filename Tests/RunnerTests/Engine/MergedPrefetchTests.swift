import Engine
import Foundation
import Synchronization
import Testing

/// A prefetch asks facts of one kind as one command, across steps, and splits the answer
/// so that every step plans from the cache: one process on the host per kind of read.
@Suite struct MergedPrefetchTests {
  /// `key-read KEY…` prints one line per key: the fact's own command reads one.
  struct KeyFact: MergeableFact {
    var key: String
    var command: Command { ["key-read", key] }
    func parse(_ output: CommandOutput) throws -> String { output.stdout }
    var merger: KeyMerger { KeyMerger() }
  }

  struct KeyMerger: FactMerger {
    func command(answering facts: [any MergeableFact]) -> Command {
      Command(["key-read"] + facts.compactMap { ($0 as? KeyFact)?.key })
    }
    func split(_ output: CommandOutput, answering facts: [any MergeableFact]) -> [CommandOutput?] {
      output.stdout.split(separator: "\n").map { CommandOutput(exitCode: 0, stdout: "\($0)\n") }
    }
  }

  struct KeyModule: PlaybookModule, PrefetchingModule {
    static let name: ModuleName = "key_read"
    var key: String
    func reads(for host: InventoryHost) -> [HostRead] { [.fact(KeyFact(key: key))] }
    func plan(in context: PlanContext) async throws -> Plan {
      let value = try await context.gather(KeyFact(key: key))
      return Plan([], note: value == "\(key)\n" ? "read \(key)" : "wrong answer: \(value)")
    }
  }

  struct Keys: Role {
    static let name: RoleName = "keys"
    static let variableNames: [String] = []
    init() {}
    init(from decoder: any Decoder) throws {
      try ArgumentReader(decoder, keys: NoKeys.self).finish()
    }
    enum NoKeys: String, CodingKey, CaseIterable { case none }
    var steps: [Step] {
      for key in ["a", "b", "c"] {
        Step("read \(key)") { KeyModule(key: key) }
      }
    }
  }

  /// A host that answers batches, recording each batch and each command it ran.
  final class BatchingHost: PrefetchingConnection {
    let batches = Mutex<[[HostRead]]>([])
    let ran = Mutex<[[String]]>([])

    func run(_ command: Command) async throws -> CommandOutput {
      ran.withLock { $0.append(command.arguments) }
      guard command.arguments.first == "key-read" else {
        return CommandOutput(exitCode: 127, stdout: "", stderr: "unexpected")
      }
      return CommandOutput(
        exitCode: 0, stdout: command.arguments.dropFirst().map { "\($0)\n" }.joined())
    }

    func read(_ path: HostPath) async throws -> Data? { nil }
    func write(_ file: FileWrite) async throws { throw ModuleError("no writes here") }

    func answer(_ probes: [HostRead]) async throws -> [ReadAnswer] {
      batches.withLock { $0.append(probes) }
      var answers: [ReadAnswer] = []
      for probe in probes {
        if case .file = probe { answers.append(.file(nil)) }
        if let command = probe.command { answers.append(.command(try await run(command))) }
      }
      return answers
    }

    var prefetchesAgainAfterChanges: Bool { true }
  }

  struct OneHost: ConnectionFactory {
    let host: BatchingHost
    func connection(to host: InventoryHost) async throws -> any Connection { self.host }
    func closeAll() async {}
  }

  @Test func `three steps reading one kind cost one command, and plan from its answer`()
    async throws
  {
    let host = BatchingHost()
    let runner = PlaybookRunner(
      options: RunOptions(), roles: try RoleRegistry([Keys.self]),
      connections: OneHost(host: host))
    let playbook = try PlaybookLoader(modules: try ModuleRegistry([KeyModule.self]))
      .load(Data(#"[{"hosts": "h1", "roles": ["keys"]}]"#.utf8), file: "keys.json")
    let sink = RecordingSink()
    let prepared = try runner.prepare(
      playbook, inventory: Inventory(hosts: [InventoryHost(name: "h1")]))
    let recap = await runner.run(prepared.plays, reportingTo: sink)
    #expect(recap.exitCode == 0)
    let batches = host.batches.withLock { $0 }
    #expect(batches.count == 1)
    #expect(batches.first?.compactMap(\.command).map(\.arguments) == [["key-read", "a", "b", "c"]])
    #expect(host.ran.withLock { $0 } == [["key-read", "a", "b", "c"]], "no read of its own")
    for key in ["a", "b", "c"] {
      #expect(
        sink.results(of: "keys : read \(key)")["h1"]?.values["note"] == .string("read \(key)"))
    }
  }
}
