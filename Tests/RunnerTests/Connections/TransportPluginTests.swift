import Engine
import Foundation
import Synchronization
import Testing

@testable import Connections

/// Transports are plug-ins: one defined here, outside `Sources`, is read, checked, connected
/// and closed by the engine and the standard factory as `ssh` is, with no engine code of its
/// own; the standard ones refuse a bad setting where it was written.
@Suite struct TransportPluginTests {
  /// A host simulated in memory (`FakeHost`), with one setting of its own, `greeting`.
  struct SimulatedTransport: Transport {
    let closed: Closed
    var name: TransportName { "simulated" }
    var settingKeys: [String] { ["greeting"] }

    func problems(in host: InventoryHost) -> [Diagnostic] {
      var reader = TransportOptionReader(host)
      _ = reader.string("greeting")
      for (name, _) in reader.variables(["ansible_simulated_flavour"]) {
        reader.problem(variable: name, "not a flavour this transport has")
      }
      return reader.problems
    }

    func connect(to host: InventoryHost) throws -> any Connection {
      var reader = TransportOptionReader(host)
      return SimulatedConnection(
        fake: FakeHost(name: host.name), greeting: reader.string("greeting"), closed: closed)
    }
  }

  final class Closed: Sendable {
    let names = Mutex<[String]>([])
  }

  struct SimulatedConnection: ClosingConnection {
    let fake: FakeHost
    let greeting: String?
    let closed: Closed
    func run(_ command: Command) async throws -> CommandOutput { try await fake.run(command) }
    func read(_ path: HostPath) async throws -> Data? { try await fake.read(path) }
    func write(_ file: FileWrite) async throws { try await fake.write(file) }
    func close() async { closed.names.withLock { $0.append(fake.name) } }
  }

  func registry(_ closed: Closed = Closed()) throws -> TransportRegistry {
    try TransportRegistry([LocalTransport(), SSHTransport(), SimulatedTransport(closed: closed)])
  }

  func problems(_ json: String, transports: TransportRegistry) throws -> [String] {
    do {
      _ = try InventoryLoader.load(Data(json.utf8), file: "inv.json", transports: transports)
      return []
    } catch let error as DefinitionErrors {
      return error.problems.map(\.description)
    }
  }

  @Test func `a transport of the test's own is read, connected and closed`() async throws {
    let closed = Closed()
    let transports = try registry(closed)
    let inventory = try InventoryLoader.load(
      Data(#"{"hosts": {"sim1": {"connection": "simulated", "greeting": "hi"}}}"#.utf8),
      file: "inv.json", transports: transports)
    let host = try #require(inventory.host(named: "sim1"))
    #expect(host.connection.transport == "simulated")
    let factory = StandardConnectionFactory(transports: transports)
    let connection = try #require(
      try await factory.connection(to: host) as? SimulatedConnection)
    #expect(connection.greeting == "hi")
    #expect(try await factory.connection(to: host) as? SimulatedConnection != nil)
    await factory.closeAll()
    #expect(closed.names.withLock { $0 } == ["sim1"], "closed once, through ClosingConnection")
  }

  @Test func `its settings are checked strictly, where they were written`() throws {
    let transports = try registry()
    let found = try problems(
      #"""
      {"hosts": {"sim1": {"connection": "simulated", "greting": "hi", "port": 70000,
                          "vars": {"ansible_simulated_flavour": "x"}},
                 "sim2": {"connection": "simulated", "greeting": 5},
                 "sim3": {"connection": "telnet"}}}
      """#, transports: transports)
    #expect(
      found.contains(
        "inv.json: $.hosts.sim1.greting: error: unknown host key 'greting'; did you mean 'greeting'?"
      ), "\(found)")
    #expect(
      found.contains(
        "inv.json: $.hosts.sim1.port: error: expected an integer in 1...65535, found 70000"),
      "another transport's key is still checked by its transport")
    #expect(
      found.contains("inv.json: $.hosts.sim2.greeting: error: expected a string, found an integer"))
    #expect(
      found.contains(
        "inv.json: $.hosts.sim3.connection: error: expected \"local\", \"simulated\" or \"ssh\", found 'telnet'"
      ), "\(found)")
    let variable = try problems(
      #"{"hosts": {"sim1": {"connection": "simulated", "vars": {"ansible_simulated_flavour": "x"}}}}"#,
      transports: transports)
    #expect(
      variable == [
        "inv.json: $.hosts.sim1.vars.ansible_simulated_flavour: error: host 'sim1': ansible_simulated_flavour: not a flavour this transport has"
      ])
  }

  @Test func `a name given twice is refused`() {
    #expect(throws: DefinitionErrors.self) {
      try TransportRegistry([SSHTransport(), SSHTransport()])
    }
  }

  @Test func `podman reads its container, user and program, and refuses the rest`() throws {
    let inventory = try InventoryLoader.load(
      Data(
        #"""
        {"hosts": {"box": {"connection": "podman", "user": "app", "podman_executable": "/p"},
                   "web": {"connection": "podman", "address": "web-1",
                           "vars": {"ansible_podman_executable": "/usr/bin/podman"}}}}
        """#.utf8), file: "inv.json")
    let box = PodmanSettings.read(try #require(inventory.host(named: "box")))
    #expect(box.problems.isEmpty)
    #expect(box.settings == PodmanSettings(container: "box", user: "app", executable: "/p"))
    let web = PodmanSettings.read(try #require(inventory.host(named: "web"))).settings
    #expect(web == PodmanSettings(container: "web-1", user: nil, executable: "/usr/bin/podman"))
    let channel = PodmanChannel(settings: box.settings, become: nil, counter: RoundTripCounter())
    #expect(
      channel.podmanArguments(["cat", "--", "/a b"])
        == ["/p", "exec", "-i", "--user", "app", "box", "cat", "--", "/a b"])
    let found = try problems(
      #"{"hosts": {"box": {"connection": "podman", "podman_executabel": "/p"}}}"#,
      transports: .standard)
    #expect(
      found == [
        "inv.json: $.hosts.box.podman_executabel: error: unknown host key 'podman_executabel'; did you mean 'podman_executable'?"
      ])
  }
}
