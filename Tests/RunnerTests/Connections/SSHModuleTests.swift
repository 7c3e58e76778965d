import Engine
import Foundation
import Modules
import Testing

@testable import Connections

/// The standard modules against a real sshd: converge, converge again (nothing to do), and
/// the round trips it costs when the engine prefetches.
@Suite(.enabled(if: LoopbackSSHServer.isAvailable, "needs /usr/sbin/sshd (Debian: openssh-server)"))
struct SSHModuleTests {
  func modules(in site: HostPath) -> [any Module] {
    [
      File(path: site, state: .directory, mode: "0750"),
      Template(
        destination: site.appending("app $(name).conf"),
        contents: HostileValues.strings.joined(separator: "\n"), mode: "u=rw,g=r,o="),
      File(path: site.appending("current"), state: .link, source: "app $(name).conf"),
      CommandModule(
        ["sh", "-c", "echo done > \"$1\"", "sh", site.appending("marker").rawValue],
        creates: site.appending("marker")),
    ]
  }

  @Test func `modules converge over ssh, then have nothing to do`() async throws {
    try await withLoopbackSSH { server, ssh in
      let site = HostPath(server.directory.appending(path: "site dir").path)
      let executor = ActionExecutor(connection: ssh)
      for module in modules(in: site) {
        let plan = try await plan(module, on: ssh)
        #expect(!plan.isEmpty)
        _ = try await executor.apply(plan.changes)
      }
      #expect(try LocalTree.mode(of: site.rawValue) == 0o750)
      #expect(try LocalTree.mode(of: site.appending("app $(name).conf").rawValue) == 0o640)
      #expect(
        try String(contentsOfFile: site.appending("app $(name).conf").rawValue, encoding: .utf8)
          == HostileValues.strings.joined(separator: "\n"))
      for module in modules(in: site) {
        #expect(try await plan(module, on: ssh).isEmpty)
      }
    }
  }

  @Test func `after one prefetch round trip, planning costs none`() async throws {
    try await withLoopbackSSH { server, ssh in
      let site = HostPath(server.directory.appending(path: "site").path)
      let modules = modules(in: site)
      let probes = modules.compactMap { $0 as? any PrefetchingModule }
        .flatMap { $0.reads(for: server.host()) }
      let before = ssh.roundTrips
      let answers = try await ssh.answer(probes)
      #expect(ssh.roundTrips == before + 1)
      let cache = ReadCache()
      for (probe, answer) in zip(probes, answers) {
        if case .file(let path) = probe, case .file(let data) = answer {
          cache.store(data, for: path)
        } else if let command = probe.command, case .command(let output) = answer {
          cache.store(output, for: command)
        } else {
          Issue.record("answer of the wrong kind for \(probe)")
        }
      }
      let host = server.host()
      let context = PlanContext(
        host: host, isCheckMode: true, reader: HostReader(connection: ssh, cache: cache))
      for module in modules {
        let plan = try await module.plan(in: context)
        #expect(!plan.isEmpty)
      }
      #expect(ssh.roundTrips == before + 1)
    }
  }
}

/// `StandardConnectionFactory`: the right connection per kind, one per host, masters closed.
@Suite(.enabled(if: LoopbackSSHServer.isAvailable, "needs /usr/sbin/sshd (Debian: openssh-server)"))
struct StandardConnectionFactoryTests {
  @Test func `one connection per host, local or ssh, and closeAll stops the masters`()
    async throws
  {
    let server = try await LoopbackSSHServer.start()
    defer { server.stop() }
    let factory = StandardConnectionFactory()
    let local = try await factory.connection(to: InventoryHost(name: "localhost"))
    #expect(local is LocalConnection)
    let first = try await factory.connection(to: server.host(name: "db1"))
    let again = try await factory.connection(to: server.host(name: "db1"))
    let other = try await factory.connection(to: server.host(name: "db2"))
    let ssh = try #require(first as? SSHConnection)
    #expect(ssh === again as? SSHConnection)
    #expect(ssh !== other as? SSHConnection)
    #expect(try await ssh.run(["echo", "up"]).stdout == "up\n")
    let master = try await ProcessRunner().run(["pgrep", "-f", ssh.controlDirectory])
    #expect(master.exitCode == 0)
    await factory.closeAll()
    #expect(!FileManager.default.fileExists(atPath: ssh.controlDirectory))
    let gone = try await ProcessRunner().run(["pgrep", "-f", ssh.controlDirectory])
    #expect(gone.exitCode == 1)
  }
}
