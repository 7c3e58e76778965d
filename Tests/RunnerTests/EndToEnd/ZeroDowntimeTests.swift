import Foundation
import Testing

extension BootedHostSuites {
  /// No request is dropped while the deployment changes: a bounded request loop runs through
  /// HAProxy's published port during each change, on a booted host with the real image's
  /// stand-in (real gunicorn, PostgreSQL). One host, so the tests run in order.
  @Suite(.serialized)
  struct ZeroDowntimeTests {
    static let host = "zd1"
    static let fixture = Result { try DeploymentFixture(hosts: [host]) }
    static let instances = (0..<4).map { "dci-api@\($0).service" }
    /// Kept on every run after the first, so each test changes only what it names.
    static let base = ["-e", "api_log_level=DEBUG"]

    var fixture: DeploymentFixture {
      get throws { try Self.fixture.get() }
    }

    /// Runs `runner` with `arguments` while at least 1,000 requests go through HAProxy (some
    /// before, the rest during and after the change).
    func underLoad(_ arguments: [String]) throws -> (
      result: RunnerProcess.Result, requests: Int, failed: Int
    ) {
      let fixture = try fixture
      let address = try BootedHosts.run(["ip", Self.host])
        .trimmingCharacters(in: .whitespacesAndNewlines)
      let loop = try RequestLoop(url: "http://\(address):8080/api/v1/")
      loop.wait(forRequests: 50)
      let result = try fixture.deploy(arguments)
      loop.wait(forRequests: 1000)
      let counts = loop.stop()
      print(
        "zero-downtime \(arguments.joined(separator: " ")): \(counts.failed) of \(counts.requests) requests failed"
      )
      return (result, counts.requests, counts.failed)
    }

    @Test func `1 the first deploy serves every instance`() throws {
      let result = try fixture.deploy()
      #expect(result.status == 0, "\(result.all)")
    }

    @Test func `2 a restart after an env-file change drops no request`() throws {
      let fixture = try fixture
      let (result, requests, failed) = try underLoad(Self.base + ["-v"])
      #expect(result.status == 0, "\(result.all)")
      #expect(requests >= 1000 && failed == 0, "\(failed) of \(requests) failed")
      #expect(
        DeploymentFixture.handlers(result.stdout).contains("dci_api : Restart dci-api"))
      #expect(result.stdout.contains("restarted 4 units in 4 batches in"), "\(result.stdout)")
      for unit in Self.instances {
        #expect(try fixture.started([unit], after: "/etc/dci-api/dci-api.env", on: Self.host))
      }
    }

    @Test func `3 scaling 4 to 2 drops no request`() throws {
      let (result, requests, failed) = try underLoad(
        Self.base + ["-e", "dci_api_container_scale=2"])
      #expect(result.status == 0, "\(result.all)")
      #expect(requests >= 1000 && failed == 0, "\(failed) of \(requests) failed")
    }

    @Test func `4 scaling 2 to 4 drops no request`() throws {
      let (result, requests, failed) = try underLoad(Self.base)
      #expect(result.status == 0, "\(result.all)")
      #expect(requests >= 1000 && failed == 0, "\(failed) of \(requests) failed")
    }

    @Test func `5 a change of HAProxy's main config is a reload that drops no request`() throws {
      let fixture = try fixture
      let haproxy = try fixture.startTimes(Self.host, ["haproxy.service"])
      let (result, requests, failed) = try underLoad(Self.base + ["-e", "haproxy_maxconn=4000"])
      #expect(result.status == 0, "\(result.all)")
      #expect(DeploymentFixture.handlers(result.stdout) == ["haproxy : Reload haproxy"])
      #expect(try fixture.startTimes(Self.host, ["haproxy.service"]) == haproxy, "not restarted")
      #expect(requests >= 1000 && failed == 0, "\(failed) of \(requests) failed")
    }

    @Test func `6 an HAProxy reload by hand drops no request`() throws {
      let fixture = try fixture
      let address = try BootedHosts.run(["ip", Self.host])
        .trimmingCharacters(in: .whitespacesAndNewlines)
      let loop = try RequestLoop(url: "http://\(address):8080/api/v1/")
      loop.wait(forRequests: 200)
      for _ in 0..<3 {
        _ = try fixture.exec(Self.host, ["systemctl", "reload", "haproxy.service"])
        usleep(300_000)
      }
      loop.wait(forRequests: 1000)
      let (requests, failed, failures) = loop.stop()
      print("zero-downtime reload by hand: \(failed) of \(requests) requests failed \(failures)")
      #expect(requests >= 1000 && failed == 0, "\(failed) of \(requests) failed")
    }

    @Test func `7 a broken configuration stops the roll at the first instance`() throws {
      let fixture = try fixture
      let before = try fixture.startTimes(Self.host, Self.instances)
      let (result, requests, failed) = try underLoad(
        Self.base + ["-e", "haproxy_maxconn=4000", "-e", "gunicorn_extra_cmd_args=--no-such-flag"])
      #expect(result.status == 2, "\(result.all)")
      #expect(result.stdout.contains("unrecognized arguments: --no-such-flag"))
      let after = try fixture.startTimes(Self.host, Self.instances)
      for unit in Self.instances.dropFirst() {
        #expect(after[unit] == before[unit], "\(unit) kept its old configuration")
      }
      #expect(requests >= 1000 && failed <= requests / 4, "\(failed) of \(requests) failed")

      let (fixed, fixedRequests, fixedFailed) = try underLoad(
        Self.base + ["-e", "haproxy_maxconn=4000"])
      #expect(fixed.status == 0, "\(fixed.all)")
      #expect(
        fixedRequests >= 1000 && fixedFailed == 0, "\(fixedFailed) of \(fixedRequests) failed")
      let states = try fixture.exec(
        Self.host,
        ["systemctl", "show", "--property=ActiveState", "--value", "--"] + Self.instances)
      #expect(states.split(separator: "\n") == Array(repeating: "active", count: 4))
    }
  }
}
