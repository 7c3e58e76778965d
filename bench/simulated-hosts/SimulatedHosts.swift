import Connections
import Engine
import Foundation
import Modules
import Roles

/// `simulated-hosts`: runner's engine against hosts that answer from memory, to measure the
/// controller alone (its CPU, memory and how they grow with the number of hosts), apart from
/// what real hosts spend on their own work.
///
///     simulated-hosts record PLAYBOOK INVENTORY HOST OUT [-e @VARS]…
///     simulated-hosts run PLAYBOOK INVENTORY HOST RECORDING COUNT DELAY_MS [-e @VARS]…
///
/// `record` runs the play once on HOST for real (an unchanged run: the host is deployed
/// already) and keeps every read; `run` clones HOST COUNT times into the same groups, each
/// clone a host that replays the recording after DELAY_MS per round trip, with as many forks
/// as hosts, and prints the run's console output. Exit status: the run's, or 2 for bad usage.
@main
enum SimulatedHosts {
  static func main() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
      exit(try await run(arguments))
    } catch {
      FileHandle.standardError.write(Data("simulated-hosts: \(error)\n".utf8))
      exit(2)
    }
  }

  static func run(_ arguments: [String]) async throws -> Int32 {
    let positional = arguments.enumerated().filter { index, word in
      word != "-e" && (index == 0 || arguments[index - 1] != "-e")
    }.map(\.element)
    let extra = try zip(arguments, arguments.dropFirst()).filter { $0.0 == "-e" }.map {
      try variables(from: $0.1)
    }.reduce(into: [String: JSONValue]()) { $0.merge($1) { $1 } }
    switch (positional.first, positional.count) {
    case ("record", 5):
      return try await record(
        playbook: positional[1], inventory: positional[2], host: positional[3],
        out: positional[4], extra: extra)
    case ("run", 7):
      guard let count = Int(positional[5]), count > 0, let delay = Int(positional[6]) else {
        throw ModuleError("COUNT and DELAY_MS are numbers")
      }
      return try await replay(
        playbook: positional[1], inventory: positional[2], host: positional[3],
        recording: positional[4], count: count, delay: .milliseconds(delay), extra: extra)
    default:
      throw ModuleError(
        "usage: simulated-hosts record PLAYBOOK INVENTORY HOST OUT [-e @VARS]… | "
          + "run PLAYBOOK INVENTORY HOST RECORDING COUNT DELAY_MS [-e @VARS]…")
    }
  }

  static func record(
    playbook: String, inventory: String, host name: String, out: String,
    extra: [String: JSONValue]
  ) async throws -> Int32 {
    let loaded = try load(inventory)
    guard let host = loaded.host(named: name) else { throw ModuleError("no host \(name)") }
    let connections = RecordingFactory(host: name)
    let code = try await execute(
      playbook, Inventory(hosts: [host], groups: groups(of: [host])), forks: 1,
      connections: connections, extra: extra)
    let recording = try await connections.recording()
    try JSONEncoder().encode(recording).write(to: URL(fileURLWithPath: out))
    return code
  }

  static func replay(
    playbook: String, inventory: String, host name: String, recording path: String,
    count: Int, delay: Duration, extra: [String: JSONValue]
  ) async throws -> Int32 {
    let loaded = try load(inventory)
    guard let host = loaded.host(named: name) else { throw ModuleError("no host \(name)") }
    let recording = try JSONDecoder().decode(
      Recording.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    let clones = (1...count).map { index in
      var clone = host
      clone.name = "sim\(index)"
      return clone
    }
    let connection = ReplayConnection(recording, delay: delay)
    return try await execute(
      playbook, Inventory(hosts: clones, groups: groups(of: clones)), forks: count,
      connections: ReplayFactory(connection: connection), extra: extra)
  }

  static func groups(of hosts: [InventoryHost]) -> [String: [String]] {
    var groups: [String: [String]] = [:]
    for host in hosts {
      for group in host.groups { groups[group, default: []].append(host.name) }
    }
    return groups
  }

  static func load(_ inventory: String) throws -> Inventory {
    try InventoryLoader.load(Data(contentsOf: URL(fileURLWithPath: inventory)), file: inventory)
  }

  static func variables(from argument: String) throws -> [String: JSONValue] {
    guard argument.hasPrefix("@") else { throw ModuleError("-e takes @FILE.json here") }
    let data = try Data(contentsOf: URL(fileURLWithPath: String(argument.dropFirst())))
    guard case .object(let values) = try JSONValue.parse(data) else {
      throw ModuleError("\(argument): expected a JSON object")
    }
    return values
  }

  static func execute(
    _ playbookPath: String, _ inventory: Inventory, forks: Int,
    connections: any ConnectionFactory, extra: [String: JSONValue]
  ) async throws -> Int32 {
    let modules = try ModuleRegistry(StandardModules.all)
    let playbook = try PlaybookLoader(modules: modules).load(
      Data(contentsOf: URL(fileURLWithPath: playbookPath)), file: playbookPath)
    let runner = PlaybookRunner(
      options: RunOptions(forks: forks, extraVariables: extra),
      roles: try RoleRegistry(StandardRoles.all), connections: connections)
    let prepared = try runner.prepare(playbook, inventory: inventory)
    let secrets = prepared.plays.flatMap { play in play.programs.values.flatMap { $0.secrets } }
    let sink = ConsoleReporter(
      showDiff: false, verbosity: 0, masker: SecretMasker(secrets: secrets),
      write: { FileHandle.standardOutput.write(Data($0.utf8)) })
    return await runner.run(prepared.plays, reportingTo: sink).exitCode
  }
}

/// Every simulated host is the same recording.
struct ReplayFactory: ConnectionFactory {
  let connection: ReplayConnection
  func connection(to host: InventoryHost) async throws -> any Connection { connection }
  func closeAll() async {}
}
