import Engine
import Foundation
import Testing

@testable import Connections

#if canImport(Glibc)
  import Glibc
#endif

extension BootedHostSuites {
  /// Issue 6's faults on booted hosts: a command failing mid-role, a full file system, the ssh
  /// connection dropping between steps, Ctrl-C, and kill -9 at random points. Each time: the
  /// run says what happened, no file is ever partial, and a rerun converges with its handlers.
  @Suite(.serialized)
  struct FaultTests {
    static let hosts = ["ft1", "ft2"]
    static let fixture = Result { try DeploymentFixture(hosts: hosts) }
    static let instances = (0..<4).map { "dci-api@\($0).service" }
    /// Every file the roles manage, with the mode it must always have.
    static let managed: [(path: String, mode: String)] = [
      ("/etc/dci-api/dci-api.env", "600"), ("/etc/containers/systemd/dci-api@.container", "644"),
      ("/etc/containers/systemd/dci-api-auth-tracking.container", "644"),
      ("/etc/containers/systemd/dci-api-auth-tracking.image", "644"),
      ("/etc/containers/systemd/haproxy.container", "644"),
      ("/etc/containers/systemd/quadlet.network", "644"), ("/etc/haproxy/haproxy.cfg", "644"),
      ("/etc/haproxy/conf.d/10_backend_dci_api.cfg", "644"),
    ]

    var fixture: DeploymentFixture {
      get throws { try Self.fixture.get() }
    }

    /// Problems with the managed files on a host: a file that exists must be complete (its
    /// last line ends with a newline and it is one of the versions a run writes) and have its
    /// mode; no temp file may be left beside it.
    func partialFiles(_ host: String, complete versions: [String: Set<String>]) throws -> [String] {
      var problems: [String] = []
      for (path, mode) in Self.managed {
        let stat = try fixture.exec(
          host, ["sh", "-c", "stat -c %a \"$1\" 2>/dev/null || echo absent", "sh", path])
        let observed = stat.trimmingCharacters(in: .whitespacesAndNewlines)
        if observed == "absent" { continue }
        if observed != mode { problems.append("\(path) has mode \(observed)") }
        let sum = try fixture.exec(host, ["sha256sum", path]).prefix(64)
        if let known = versions[path], !known.contains(String(sum)) {
          problems.append("\(path) is partial")
        }
      }
      let leftovers = try fixture.exec(
        host,
        [
          "sh", "-c",
          "ls -a /etc/dci-api /etc/containers/systemd /etc/haproxy /etc/haproxy/conf.d | grep -E '^\\.[^.].*' || true",
        ])
      if !leftovers.isEmpty { problems.append("temp files left: \(leftovers)") }
      return problems
    }

    /// sha256 of each managed file on a host.
    func sums(_ host: String) throws -> [String: String] {
      var sums: [String: String] = [:]
      for (path, _) in Self.managed {
        let line = try fixture.exec(
          host, ["sh", "-c", "sha256sum \"$1\" 2>/dev/null || true", "sh", path])
        if line.count >= 64 { sums[path] = String(line.prefix(64)) }
      }
      return sums
    }

    /// Copies of the env file anywhere under `/tmp` (a probe batch's staging).
    func stagedCopies(_ host: String) throws -> String {
      try fixture.exec(
        host, ["sh", "-c", "grep -rl -e SSO_REALM= /tmp /var/tmp 2>/dev/null; true"])
    }

    @Test func `1 kill -9 at random points never leaves a partial file and a rerun converges`()
      throws
    {
      let fixture = try fixture
      // The complete versions: what a finished run writes with each of the two settings.
      var versions: [String: Set<String>] = [:]
      for timeout in ["60", "61"] {
        let run = try fixture.deploy(["-e", "gunicorn_timeout=\(timeout)"])
        #expect(run.status == 0, "\(run.all)")
        for host in Self.hosts {
          for (path, sum) in try sums(host) { versions[path, default: []].insert(sum) }
        }
      }
      var generator = SystemRandomNumberGenerator()
      var found: [String] = []
      let runs = Int(ProcessInfo.processInfo.environment["RUNNER_KILL_RUNS"] ?? "") ?? 16
      for round in 0..<runs {
        let running = try fixture.start(["-e", "gunicorn_timeout=\(round % 2 == 0 ? 60 : 61)"])
        usleep(UInt32.random(in: 50_000...2_500_000, using: &generator))
        kill(running.pid, SIGKILL)
        _ = running.wait()
        for host in Self.hosts { found += try partialFiles(host, complete: versions) }
      }
      print("kill -9 campaign: \(runs) runs killed, \(found.count) partial files or wrong modes")
      #expect(found.isEmpty, "\(found)")
      let rerun = try fixture.deploy(["-e", "gunicorn_timeout=61"])
      #expect(rerun.status == 0, "\(rerun.all)")
      for host in Self.hosts {
        // Nothing a killed run staged (copies of the env file) outlives the next run.
        let staged = try stagedCopies(host)
        #expect(staged.isEmpty, "\(host): \(staged)")
        // Converged with the right handlers: every instance started after its unit was written.
        #expect(
          try fixture.started(
            Self.instances, after: "/etc/containers/systemd/dci-api@.container", on: host),
          "\(host)")
      }
      let quiet = try fixture.deploy(["-e", "gunicorn_timeout=61"])
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(quiet.stdout, host: host)["changed"] == 0)
      }
    }

    @Test func `2 a command failing mid-role fails its host only, and a fixed rerun converges`()
      throws
    {
      let fixture = try fixture
      // On ft1 the environment changes (a restart is owed), then the image pull fails.
      let broken = try fixture.inventory(overriding: [
        "ft1": [
          "jsonify_prettyprint_regular": true,
          "dci_api_container_image": "localhost/no-such-image:latest",
        ]
      ])
      let result = try fixture.deploy(inventory: broken, ["-e", "gunicorn_timeout=63"])
      #expect(result.status == 2, "\(result.all)")
      #expect(DeploymentFixture.recap(result.stdout, host: "ft1")["failed"] == 1)
      #expect(DeploymentFixture.recap(result.stdout, host: "ft2")["failed"] == 0)
      #expect(result.stdout.contains("fatal: [ft1]"))
      let restarts =
        result.stdout.components(separatedBy: "RUNNING HANDLER [dci_api : Restart dci-api]")
        .dropFirst().first?.split(separator: "\n").prefix {
          !$0.hasPrefix("RUNNING") && !$0.hasPrefix("PLAY")
        } ?? []
      #expect(
        restarts.contains { $0.contains("[ft2]") } && !restarts.contains { $0.contains("[ft1]") })
      let before = try fixture.startTimes("ft1", Self.instances)
      let fixed = try fixture.deploy(
        inventory: try fixture.inventory(overriding: ["ft1": ["jsonify_prettyprint_regular": true]]
        ),
        ["-e", "gunicorn_timeout=63"])
      #expect(fixed.status == 0, "\(fixed.all)")
      #expect(fixed.stdout.contains("[WARNING]: ft1: running handlers an earlier run left pending"))
      let after = try fixture.startTimes("ft1", Self.instances)
      #expect(
        Self.instances.allSatisfy { after[$0] != before[$0] },
        "ft1 restarted for the change it missed")
    }

    @Test func `3 a full file system fails the write and keeps the old file whole`() throws {
      let fixture = try fixture
      let directory = try TemporaryDirectory()
      _ = try fixture.exec("ft1", ["mkdir", "-p", "/srv/tiny"])
      _ = try fixture.exec("ft1", ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", "/srv/tiny"])
      defer { _ = try? fixture.exec("ft1", ["umount", "/srv/tiny"]) }
      _ = try fixture.exec("ft1", ["sh", "-c", "printf 'old contents\\n' > /srv/tiny/app.conf"])
      let big = String(repeating: "0123456789abcdef", count: 8192)  // 128 KiB > 64 KiB
      let inventory = try directory.write(
        "inventory.json", try String(contentsOf: fixture.inventory, encoding: .utf8))
      let playbook = try directory.write(
        "tiny.json",
        #"[{"hosts": "ft1", "tasks": [{"name": "Write a big file", "template": {"content": "\#(big)", "dest": "/srv/tiny/app.conf", "mode": "0644"}}]}]"#
      )
      let result = try RunnerProcess.run(["-i", inventory.path, playbook.path])
      #expect(result.status == 2)
      #expect(result.stdout.contains("fatal: [ft1]"))
      #expect(result.stdout.lowercased().contains("no space left"))
      #expect(try fixture.exec("ft1", ["cat", "/srv/tiny/app.conf"]) == "old contents\n")
      #expect(try fixture.exec("ft1", ["ls", "-a", "/srv/tiny"]) == ".\n..\napp.conf\n")
    }

    @Test
    func `4 an ssh connection dropped mid-run is reported or reopened, and a rerun converges`()
      throws
    {
      let fixture = try fixture
      let running = try fixture.start(["-e", "gunicorn_timeout=64"])
      for _ in 0..<400 where !running.stdoutSoFar.contains("TASK [dci_api :") { usleep(25_000) }
      // Kill this machine's ssh processes connected to the hosts: the run's multiplexing
      // masters (found by their TCP connection, so no other test's ssh is touched).
      for host in Self.hosts {
        let address = try BootedHosts.run(["ip", host]).trimmingCharacters(
          in: .whitespacesAndNewlines)
        let sockets = try Spawn.run("/usr/bin/ss", ["-Htnp", "dst", "\(address):22"]).stdout
        let pids = sockets.components(separatedBy: "pid=").dropFirst().compactMap {
          Int32($0.prefix { $0.isNumber })
        }
        #expect(!pids.isEmpty, "no ssh connection to \(host) to drop")
        for pid in Set(pids) { kill(pid, SIGKILL) }
      }
      let result = running.wait()
      // Between two commands the next ssh call opens a new master and the run goes on; a
      // command cut in flight makes its host unreachable (as Ansible reports it). Either way
      // nothing else fails, and a rerun converges.
      #expect(result.status == 0 || result.status == 4, "\(result.stdout)\(result.stderr)")
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(result.stdout, host: host)["failed"] == 0)
      }
      let rerun = try fixture.deploy(["-e", "gunicorn_timeout=64"])
      #expect(rerun.status == 0, "\(rerun.all)")
    }

    @Test func `5 Ctrl-C stops after the current step, prints the recap, exits 99`() throws {
      let fixture = try fixture
      let running = try fixture.start(["-e", "gunicorn_timeout=65"])
      for _ in 0..<400 where !running.stdoutSoFar.contains("TASK [haproxy :") { usleep(10_000) }
      kill(running.pid, SIGINT)
      let result = running.wait()
      #expect(result.status == 99, "\(result.stdout)\(result.stderr)")
      #expect(result.stdout.contains("[ERROR]: User interrupted execution"))
      #expect(result.stdout.contains("PLAY RECAP"))
      #expect(!result.stdout.contains("TASK [dci_api : Start the API instances]"))
      let rerun = try fixture.deploy(["-e", "gunicorn_timeout=65"])
      #expect(rerun.status == 0, "\(rerun.all)")
    }

    /// A terminal's Ctrl-C reaches the whole process group (issue 12): the ssh client of the
    /// step in flight must not die of it, and no handler may run on a half-applied change —
    /// the hosts' pending-handler records keep what is owed for the next run.
    @Test func `6 a terminal's Ctrl-C runs no handler; the next run owes them`() throws {
      let fixture = try fixture
      let before = try fixture.deploy(["-e", "gunicorn_timeout=66"])
      #expect(before.status == 0, "\(before.all)")
      let running = try fixture.start(["-e", "gunicorn_timeout=67"], ownProcessGroup: true)
      for _ in 0..<800 where !running.stdoutSoFar.contains("TASK [dci_api : Pull the API image]") {
        usleep(5_000)
      }
      kill(-running.pid, SIGINT)
      let result = running.wait()
      #expect(result.status == 99, "\(result.stdout)\(result.stderr)")
      #expect(result.stdout.contains("changed: [ft1]"), "no change was made before the interrupt")
      #expect(!result.stdout.contains("RUNNING HANDLER"), "\(result.stdout)")
      #expect(!result.stdout.contains("UNREACHABLE"), "\(result.stdout)")
      let error = try #require(result.stdout.range(of: "[ERROR]: User interrupted execution"))
      let recap = try #require(result.stdout.range(of: "PLAY RECAP"))
      #expect(error.upperBound < recap.lowerBound)
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(result.stdout, host: host)["unreachable"] == 0)
      }
      let rerun = try fixture.deploy(["-e", "gunicorn_timeout=67"])
      #expect(rerun.status == 0, "\(rerun.all)")
      #expect(rerun.stdout.contains("running handlers an earlier run left pending"))
      for host in Self.hosts {
        #expect(
          try fixture.started(Self.instances, after: "/etc/dci-api/dci-api.env", on: host),
          "\(host)")
      }
    }

    /// A probe batch's commands may print secrets; the batch stages nothing on the host, so
    /// one that dies of SIGKILL (runner killed, connection lost) leaves no copy behind.
    @Test func `7 a probe batch killed mid-read leaves no copy of what it read`() throws {
      let fixture = try fixture
      _ = try fixture.exec(
        "ft1", ["sh", "-c", "umask 077; printf 'SSO_REALM=probe-Secr3t\\n' > /root/probed.env"])
      let slow = PrefetchScript(probes: [
        .file("/root/probed.env"), .command(["cat", "/root/probed.env"]), .command(["sleep", "3"]),
      ])
      let started = Date()
      _ = try? fixture.exec("ft1", ["timeout", "-s", "KILL", "1"] + slow.arguments)
      #expect(Date().timeIntervalSince(started) < 3, "the batch was not killed mid-read")
      let staged = try stagedCopies("ft1")
      #expect(staged.isEmpty, "\(staged)")
      #expect(try fixture.exec("ft1", ["sh", "-c", "ls -d /tmp/tmp.* 2>/dev/null; true"]) == "")
    }

    /// The connection drops after the last handler ran, before the host's pending-handler
    /// record was updated (issue 12): the run must not end 0 as if all were settled.
    @Test func `8 a connection lost after the last handler is reported, not exit 0`() throws {
      let fixture = try fixture
      let data = try Data(contentsOf: fixture.inventory)
      var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      var hosts = try #require(top["hosts"] as? [String: Any])
      hosts["local"] = ["connection": "local"]
      top["hosts"] = hosts
      let directory = try TemporaryDirectory()
      let inventory = try directory.write(
        "inventory.json",
        String(decoding: try JSONSerialization.data(withJSONObject: top), as: UTF8.self))
      // ft1's handler takes ft1 off the network for ssh a second later (sshd stopped, every
      // session killed), while this machine's handler still runs: the record is written
      // after both, and no new connection can be made.
      let drop =
        "setsid -f sh -c 'sleep 1; systemctl stop ssh.socket ssh.service; pkill -KILL -x sshd-session' </dev/null >/dev/null 2>&1"
      defer { _ = try? fixture.exec("ft1", ["systemctl", "start", "ssh.service"]) }
      let playbook = try directory.write(
        "drop.json",
        #"""
        [{"hosts": "ft1:local", "tasks": [
          {"name": "Notify the drop", "command": {"argv": ["true"]}, "changed_when": true,
           "when": "inventory_hostname == 'ft1'", "notify": "Drop the connection"},
          {"name": "Notify the wait", "command": {"argv": ["true"]}, "changed_when": true,
           "when": "inventory_hostname == 'local'", "notify": "Wait"}],
         "handlers": [
          {"name": "Drop the connection", "command": {"argv": ["sh", "-c", "\#(drop)"]}},
          {"name": "Wait", "command": {"argv": ["sleep", "3"]}}]}]
        """#)
      let result = try RunnerProcess.run(["-i", inventory.path, playbook.path])
      #expect(result.status == 4, "\(result.all)")
      #expect(DeploymentFixture.recap(result.stdout, host: "ft1")["unreachable"] == 1)
      #expect(DeploymentFixture.recap(result.stdout, host: "local")["failed"] == 0)
      #expect(result.stdout.contains("the connection was lost before the pending-handler record"))
    }

    /// Two runs on the same hosts at once (issue 12): the second waits for the first, or
    /// fails after its `--lock-timeout` having changed nothing; the hosts end consistent.
    @Test func `9 a second run at once waits for the host's lock or fails having changed nothing`()
      throws
    {
      let fixture = try fixture
      let running = try fixture.start(["-e", "gunicorn_timeout=68"])
      for _ in 0..<800 where !running.stdoutSoFar.contains("TASK [dci_api :") { usleep(10_000) }
      let refused = try fixture.deploy(["--lock-timeout", "0", "-e", "dci_api_container_scale=2"])
      #expect(refused.status == 2, "\(refused.all)")
      #expect(refused.stdout.contains("another run holds the host's run lock"))
      let check = try fixture.deploy(["--check", "-v", "-e", "gunicorn_timeout=68"])
      #expect(check.status == 0, "\(check.all)")
      #expect(check.stdout.contains("<ft1> waited "), "\(check.stdout)")
      #expect(check.stdout.contains(" s for the run lock another run held"))
      let first = running.wait()
      #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(check.stdout, host: host)["changed"] == 0, "\(check.all)")
        let backend = try fixture.exec(host, ["cat", "/etc/haproxy/conf.d/10_backend_dci_api.cfg"])
        #expect(backend.contains("server dci-api-3 "), "the refused run changed the backend")
        let active = try fixture.exec(host, ["systemctl", "is-active"] + Self.instances)
        #expect(active == String(repeating: "active\n", count: 4))
      }
    }
  }
}
