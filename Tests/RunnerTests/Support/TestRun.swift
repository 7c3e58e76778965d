import Engine
import Foundation
import Synchronization

/// Collects events for assertions, and a compact transcript of what a reader would see.
final class RecordingSink: EventSink {
  private let events = Mutex<[Event]>([])

  func record(_ event: Event) async { events.withLock { $0.append(event) } }

  var all: [Event] { events.withLock { $0 } }

  /// One line per event: `PLAY x`, `TASK x`, `HANDLER x`, `changed: [h1]`, `RETRY [h1] 4`…
  var transcript: [String] {
    all.compactMap { event in
      switch event {
      case .playStarted(let play): return "PLAY \(play.name)"
      case .stepStarted(let step):
        return step.isHandler ? "HANDLER \(step.displayName)" : "TASK \(step.displayName)"
      case .hostResult(let host, _, let result):
        let status = result.ignored ? "ignored" : result.status.rawValue
        return "\(status): [\(host)]"
      case .retrying(let host, _, let left, _): return "RETRY [\(host)] \(left)"
      case .noHostsLeft: return "NO MORE HOSTS LEFT"
      case .included(let file, let hosts, _, let item):
        return "INCLUDED \(file) for \(hosts)" + (item.map { " item=\($0)" } ?? "")
      default: return nil
      }
    }
  }

  /// Names of the handlers that ran, in order (one entry per banner).
  var handlersRun: [String] {
    all.compactMap {
      if case .stepStarted(let step) = $0, step.isHandler { step.displayName } else { nil }
    }
  }

  func results(of step: String) -> [String: StepResult] {
    var found: [String: StepResult] = [:]
    for case .hostResult(let host, let info, let result) in all where info.displayName == step {
      found[host] = result
    }
    return found
  }
}

/// Hands out fake hosts by name.
struct FakeConnections: ConnectionFactory {
  let hosts: [String: FakeHost]
  func connection(to host: InventoryHost) async throws -> any Connection {
    guard let fake = hosts[host.name] else { throw HostUnreachable("no fake host \(host.name)") }
    return fake
  }
  func closeAll() async {}
}

/// A clock that never sleeps, and remembers what it was asked.
final class InstantClock: RunClock {
  let slept = Mutex<[Double]>([])
  func sleep(seconds: Double) async { slept.withLock { $0.append(seconds) } }
  func now() -> Date { Date(timeIntervalSince1970: 1_700_000_000) }
}

/// Runs a JSON playbook (or Swift plays) against fake hosts and returns what happened.
struct TestRun {
  var hosts: [FakeHost]
  var inventory: Inventory
  var roles: [any Role.Type] = []
  var options = RunOptions()
  let sink = RecordingSink()

  init(
    hosts names: [String] = ["h1"], groups: [String: [String]] = [:],
    hostVars: [String: [String: JSONValue]] = [:]
  ) {
    hosts = names.map { name in
      let host = FakeHost(name: name)
      for program in ["systemctl", "reload", "echo", "true", "touch", "mkdir", "rm"] {
        host.respond(to: [program], stdout: "")
      }
      host.respond(to: ["false"], exitCode: 1, stderr: "failed")
      host.respond { [host] command in
        guard command.arguments.starts(with: ["rm", "-f", "--"]) else { return nil }
        for path in command.arguments.dropFirst(3) { host.remove(HostPath(path)) }
        return CommandOutput(exitCode: 0, stdout: "")
      }
      return host
    }
    inventory = Inventory(
      hosts: names.map { InventoryHost(name: $0, hostVariables: hostVars[$0] ?? [:]) },
      groups: groups)
  }

  /// Another run against the same fake hosts (their files as the last run left them).
  init(reusing hosts: [FakeHost]) {
    self.hosts = hosts
    inventory = Inventory(hosts: hosts.map { InventoryHost(name: $0.name) })
  }

  /// The fake host named so; a name the run does not have is a mistake in the test.
  func host(_ name: String) -> FakeHost {
    guard let host = hosts.first(where: { $0.name == name }) else {
      preconditionFailure("TestRun has no host '\(name)' (hosts: \(hosts.map(\.name)))")
    }
    return host
  }

  var runner: PlaybookRunner {
    get throws {
      PlaybookRunner(
        options: options, roles: try RoleRegistry(roles),
        connections: FakeConnections(
          hosts: Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })),
        clock: InstantClock())
    }
  }

  func load(_ json: String, file: String = "test.json") throws -> Playbook {
    try PlaybookLoader(modules: try ModuleRegistry(testModules))
      .load(Data(json.utf8), file: file)
  }

  /// Validates then runs; throws `DefinitionErrors` when validation fails.
  @discardableResult
  func run(_ json: String, file: String = "test.json") async throws -> PlayRecap {
    try await run(try load(json, file: file))
  }

  @discardableResult
  func run(_ playbook: Playbook) async throws -> PlayRecap {
    let runner = try self.runner
    let prepared = try runner.prepare(playbook, inventory: inventory)
    return await runner.run(prepared.plays, reportingTo: sink)
  }
}
