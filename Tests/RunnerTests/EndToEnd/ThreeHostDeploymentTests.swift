import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension BootedHostSuites {
  /// Issue 5's scenario as an operator lives it: one `runner` deploys `playbooks/dci_api.json`
  /// over ssh to three booted hosts, and the service really answers through HAProxy.
  @Suite(.serialized)
  struct ThreeHostDeploymentTests {
    static let hosts = ["e2e1", "e2e2", "e2e3"]
    static let fixture = Result { try DeploymentFixture(hosts: hosts) }
    static let instances = (0..<4).map { "dci-api@\($0).service" }
    static let managedFiles = [
      "/etc/dci-api/dci-api.env", "/etc/containers/systemd/dci-api@.container",
      "/etc/haproxy/conf.d/10_backend_dci_api.cfg", "/etc/haproxy/haproxy.cfg",
    ]

    var fixture: DeploymentFixture {
      get throws { try Self.fixture.get() }
    }

    func address(_ host: String) throws -> String {
      try BootedHosts.run(["ip", host]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// GETs `path` through HAProxy's published port (from this machine, over the bridge).
    func get(_ host: String, _ path: String) throws -> (status: Int32, body: String) {
      let output = try Spawn.run(
        "/usr/bin/curl",
        [
          "-s", "-m", "3", "-o", "-", "-w", "\n%{http_code}",
          "http://\(try address(host)):8080\(path)",
        ])
      let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      return (Int32(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// The status of `HEAD path` through HAProxy's published port.
    func head(_ host: String, _ path: String) throws -> Int32 {
      let output = try Spawn.run(
        "/usr/bin/curl",
        [
          "-s", "-I", "-m", "3", "-o", "/dev/null", "-w", "%{http_code}",
          "http://\(try address(host)):8080\(path)",
        ])
      return Int32(output.stdout) ?? 0
    }

    /// Writes extra variables to a file of the fixture's, for `-e @file` (a secret never goes
    /// on a command line, not even a test's).
    func extraVarsFile(_ values: [String: String]) throws -> [String] {
      let data = try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
      let file = try fixture.directory.write(
        "vars-\(UUID().uuidString).json", String(decoding: data, as: UTF8.self))
      return ["-e", "@\(file.path)"]
    }

    /// Instance names answering through HAProxy over `tries` requests, once all are healthy.
    func instancesAnswering(_ host: String, expecting expected: Set<String>, tries: Int = 40) throws
      -> Set<String>
    {
      var seen: Set<String> = []
      for _ in 0..<tries {
        let answer = try get(host, "/standin/instance")
        if answer.status == 200 {
          seen.insert(answer.body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if seen == expected { break }
        usleep(250_000)
      }
      return seen
    }

    @Test func `1 and 2 three hosts deploy in one run and every instance answers`() throws {
      let fixture = try fixture
      let result = try fixture.deploy()
      #expect(result.status == 0, "\(result.all)")
      #expect(!result.stdout.contains("[WARNING]"))
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(result.stdout, host: host)["failed"] == 0)
        let active = try fixture.exec(
          host,
          ["systemctl", "show", "--property=ActiveState", "--value", "--"] + Self.instances + [
            "haproxy.service"
          ])
        #expect(active.split(separator: "\n") == Array(repeating: "active", count: 5), "\(host)")
        let sidecar = try fixture.exec(
          host,
          [
            "systemctl", "show", "--property=ActiveState", "--value",
            "dci-api-auth-tracking.service",
          ])
        #expect(sidecar == (host == "e2e1" ? "active\n" : "inactive\n"), "\(host)")
        let answering = try instancesAnswering(
          host, expecting: ["dci-api-0", "dci-api-1", "dci-api-2", "dci-api-3"])
        #expect(
          answering == ["dci-api-0", "dci-api-1", "dci-api-2", "dci-api-3"], "\(host) round robin")
        // Every container, the sidecar too, received the playbook's values under the names
        // the DCI server reads, and nothing under the names the playbook leaves to the
        // server's defaults: compared with the playbook's own values, not runner's file.
        let containers =
          (0..<4).map { "dci-api-\($0)" } + (host == "e2e1" ? ["dci-api-auth-tracking"] : [])
        for container in containers {
          let expected = try Self.expectedEnvironment(api: container != "dci-api-auth-tracking")
          let seen = try Self.received(fixture, host, container)
          for name in Self.serverNames + ["SSO_CERTTIFICATION_URL"] {
            #expect(seen[name] == expected[name], "\(host) \(container): \(name)")
          }
        }
        // gunicorn runs the image's config: gevent workers, as many as the playbook asks.
        for container in (0..<4).map({ "dci-api-\($0)" }) {
          let report = try fixture.exec(
            host,
            ["podman", "exec", container, "curl", "-s", "http://localhost:5000/standin/gunicorn"])
          let settings = try #require(
            try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any], "\(report)"
          )
          #expect(settings["worker_class"] as? String == "gevent", "\(host) \(container)")
          #expect(settings["worker"] as? String == "GeventWorker", "\(host) \(container)")
          #expect(settings["workers"] as? Int == 4 && settings["live_workers"] as? Int == 4)
          #expect(
            settings["worker_connections"] as? Int == 200 && settings["timeout"] as? Int == 60)
          #expect(
            settings["graceful_timeout"] as? Int == 90 && settings["accesslog"] as? String == "-")
        }
        // The sidecar's heartbeat is in Redis on its host only.
        let heartbeat = try fixture.exec(
          host, ["redis-cli", "GET", "dci-standin:auth-tracking:heartbeat"])
        #expect(
          heartbeat.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == (host != "e2e1"),
          "\(host): \(heartbeat)")
      }
    }

    /// What podman handed a container, before the image's entrypoint changed anything (it
    /// replaces SSO_PUBLIC_KEY with the realm key it fetches), as the stand-in recorded it.
    static func received(_ fixture: DeploymentFixture, _ host: String, _ container: String) throws
      -> [String: String]
    {
      let environ = try fixture.exec(
        host, ["podman", "exec", container, "cat", "/tmp/dci-standin/received.environ"])
      var seen: [String: String] = [:]
      for entry in environ.split(separator: "\0") {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        seen[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
      }
      return seen
    }

    /// Every name the DCI server reads: its `dci/settings.py` and the image's
    /// `/etc/gunicorn.conf.py` (the DCI control server's source, 2025), and the sidecar's
    /// `REDIS_URL`.
    static let serverNames = [
      "API_HOST", "API_PORT", "API_DEBUG", "JSONIFY_PRETTYPRINT_REGULAR", "DB_USER",
      "DB_PASSWORD", "DB_HOST", "DB_PORT", "DB_NAME", "SQLALCHEMY_DATABASE_URI",
      "SQLALCHEMY_ECHO", "SQLALCHEMY_RECORD_QUERIES", "SQLALCHEMY_NATIVE_UNICODE",
      "SQLALCHEMY_POOL_SIZE", "SQLALCHEMY_MAX_OVERFLOW", "STORE_ENGINE", "STORE_FILES_CONTAINER",
      "STORE_COMPONENTS_CONTAINER", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
      "S3_ENDPOINT_URL", "AWS_SIGNATURE_VERSION", "ZMQ_HOST", "ZMQ_PORT", "ZMQ_CONN",
      "AMQP_BROKER_URL", "ANALYTICS_URL", "LOG_LEVEL", "MAX_CONTENT_LENGTH_MB",
      "FILES_UPLOAD_FOLDER", "SSO_PUBLIC_KEY", "SSO_AUDIENCES", "SSO_READ_ONLY_GROUP", "SSO_URL",
      "SSO_REALM", "CERTIFICATION_URL", "RHDL_API_URL", "RHDL_SERVICE_ACCOUNT_ACCESS_KEY",
      "RHDL_SERVICE_ACCOUNT_SECRET_KEY", "REQUESTS_TIMEOUT_CONNECT", "REQUESTS_TIMEOUT_READ",
      "DCI_NB_WORKERS", "DCI_GUNICORN_WORKER_CONNECTIONS", "DCI_GUNICORN_MAX_REQUESTS",
      "DCI_GUNICORN_MAX_REQUESTS_JITTER", "DCI_GUNICORN_TIMEOUT", "DCI_GUNICORN_GRACEFUL_TIMEOUT",
      "REDIS_URL",
    ]

    /// The environment the spec says a container gets, from `playbooks/dci_api.json`'s play
    /// variables (its `{{ vault_* }}` references resolved from the fixture's secrets), the
    /// fixture's `-e @testhost.json` and the role's defaults in play; a name absent here must
    /// be absent in the container (the server's default applies). The SSO key (a Podman
    /// secret) and gunicorn's settings (the unit's `Environment=`) are the API's only.
    static func expectedEnvironment(api: Bool, sso: String? = nil) throws -> [String: String] {
      let data = try Data(contentsOf: URL(fileURLWithPath: DeploymentFixture.playbook))
      let plays = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
      let vars = try #require(plays.first?["vars"] as? [String: Any])
      func value(_ key: String) throws -> String {
        if let given = DeploymentFixture.serviceValues[key] { return given }
        switch vars[key] {
        case let text as String where text.hasPrefix("{{ "):
          let name = text.dropFirst(3).dropLast(3).trimmingCharacters(in: .whitespaces)
          return try #require(DeploymentFixture.secretValues[name], "secret \(name)")
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        case let list as [String]: return list.joined(separator: ",")
        default: throw BootedHosts.ToolFailed(arguments: [key], status: 0, output: "no value")
        }
      }
      var names: [String: String] = [
        "API_HOST": "apihost", "LOG_LEVEL": "api_log_level", "DB_HOST": "dbhost",
        "DB_USER": "dbuser", "DB_PASSWORD": "dbpassword", "DB_NAME": "dbname",
        "SQLALCHEMY_POOL_SIZE": "sqlalchemy_pool_size",
        "SQLALCHEMY_MAX_OVERFLOW": "sqlalchemy_max_overflow", "STORE_ENGINE": "store_engine",
        "STORE_FILES_CONTAINER": "store_files_container",
        "STORE_COMPONENTS_CONTAINER": "store_components_container",
        "AWS_ACCESS_KEY_ID": "store_s3_aws_access_key_id",
        "AWS_SECRET_ACCESS_KEY": "store_s3_aws_secret_access_key",
        "AWS_REGION": "store_s3_aws_region", "ZMQ_CONN": "zmq_conn",
        "MAX_CONTENT_LENGTH_MB": "max_content_length_mb", "ANALYTICS_URL": "analytics_url",
        "AMQP_BROKER_URL": "amqp_broker_url", "SSO_AUDIENCES": "sso_audiences",
        "SSO_READ_ONLY_GROUP": "sso_read_only_group", "SSO_URL": "sso_url",
        "SSO_REALM": "sso_realm", "CERTIFICATION_URL": "certification_url",
        "SSO_CERTTIFICATION_URL": "certification_url",
        "RHDL_SERVICE_ACCOUNT_ACCESS_KEY": "rhdl_service_account_access_key",
        "RHDL_SERVICE_ACCOUNT_SECRET_KEY": "rhdl_service_account_secret_key",
        "REDIS_URL": "dci_redis_url",
      ]
      if api {
        names["SSO_PUBLIC_KEY"] = "sso_public_key"
        names["DCI_NB_WORKERS"] = "gunicorn_nb_workers"
        names["DCI_GUNICORN_WORKER_CONNECTIONS"] = "gunicorn_worker_connections"
        names["DCI_GUNICORN_TIMEOUT"] = "gunicorn_timeout"
      }
      var environment = try names.mapValues(value)
      environment["RHDL_API_URL"] = "https://api.rhdl.distributed-ci.io/api/v1"
      if api {
        environment["DCI_GUNICORN_MAX_REQUESTS"] = "0"
        environment["DCI_GUNICORN_MAX_REQUESTS_JITTER"] = "0"
        environment["DCI_GUNICORN_GRACEFUL_TIMEOUT"] = "90"
        if let sso { environment["SSO_PUBLIC_KEY"] = sso }
      }
      return environment
    }

    @Test func `3 an identical rerun changes nothing on any host`() throws {
      let fixture = try fixture
      let before = try Self.hosts.map {
        try fixture.startTimes($0, Self.instances + ["haproxy.service"])
      }
      let result = try fixture.deploy()
      #expect(result.status == 0, "\(result.all)")
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(result.stdout, host: host)["changed"] == 0, "\(host)")
      }
      #expect(DeploymentFixture.handlers(result.stdout).isEmpty)
      #expect(
        try Self.hosts.map { try fixture.startTimes($0, Self.instances + ["haproxy.service"]) }
          == before)
    }

    @Test func `4 check with a diff shows the change and changes nothing`() throws {
      let fixture = try fixture
      let files = try Self.hosts.map { try fixture.fingerprint($0, Self.managedFiles) }
      let times = try Self.hosts.map { try fixture.startTimes($0, Self.instances) }
      let result = try fixture.deploy(["--check", "--diff", "-e", "gunicorn_timeout=61"])
      #expect(result.status == 0, "\(result.all)")
      #expect(result.stdout.contains("+Environment=DCI_GUNICORN_TIMEOUT=61\n"))
      #expect(try Self.hosts.map { try fixture.fingerprint($0, Self.managedFiles) } == files)
      #expect(try Self.hosts.map { try fixture.startTimes($0, Self.instances) } == times)
    }

    @Test func `5 applying it backs up first, restarts every instance, not HAProxy`() throws {
      let fixture = try fixture
      let haproxy = try Self.hosts.map { try fixture.startTimes($0, ["haproxy.service"]) }
      let before = try Self.hosts.map { try fixture.startTimes($0, Self.instances) }
      let result = try fixture.deploy(["-e", "gunicorn_timeout=61"])
      #expect(result.status == 0, "\(result.all)")
      #expect(
        DeploymentFixture.handlers(result.stdout) == [
          "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
        ])
      for (index, host) in Self.hosts.enumerated() {
        let after = try fixture.startTimes(host, Self.instances)
        #expect(
          Self.instances.allSatisfy { after[$0] != before[index][$0] },
          "\(host): every instance restarted")
        #expect(
          try fixture.startTimes(host, ["haproxy.service"]) == haproxy[index],
          "\(host): haproxy kept"
        )
        // The backup marker was touched before every instance restarted. ActiveEnterTimestamp
        // has whole seconds, so a start in the marker's own second counts as after it.
        let marker = try fixture.exec(
          host, ["stat", "-c", "%.6Y", "/var/tmp/dci-api-backup-marker"])
        let starts = try fixture.exec(
          host,
          ["systemctl", "show", "--property=ActiveEnterTimestamp", "--value", "--timestamp=unix"]
            + Self.instances)
        let markerTime = Double(marker.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .infinity
        let startTimes = starts.split(separator: "\n").compactMap { Double($0.dropFirst()) }
        #expect(startTimes.count == 4)
        #expect(
          startTimes.allSatisfy { $0 >= markerTime.rounded(.down) },
          "\(host): \(marker) vs \(starts)")
      }
    }

    @Test func `6 scaling down reloads HAProxy, stops two instances, traffic keeps flowing`() throws
    {
      let fixture = try fixture
      let haproxy = try Self.hosts.map { try fixture.startTimes($0, ["haproxy.service"]) }
      let down = try fixture.deploy([
        "-e", "gunicorn_timeout=61", "-e", "dci_api_container_scale=2",
      ])
      #expect(down.status == 0, "\(down.all)")
      #expect(DeploymentFixture.handlers(down.stdout) == ["haproxy : Reload haproxy"])
      for (index, host) in Self.hosts.enumerated() {
        #expect(
          try fixture.startTimes(host, ["haproxy.service"]) == haproxy[index],
          "\(host): reloaded, not restarted")
        let states = try fixture.exec(
          host, ["systemctl", "show", "--property=ActiveState", "--value", "--"] + Self.instances)
        #expect(
          states.split(separator: "\n") == ["active", "active", "inactive", "inactive"], "\(host)")
        #expect(
          try instancesAnswering(host, expecting: ["dci-api-0", "dci-api-1"]) == [
            "dci-api-0", "dci-api-1",
          ])
        let answers = try (0..<8).map { _ in try get(host, "/standin/instance") }
        #expect(answers.allSatisfy { $0.status == 200 }, "\(host): traffic keeps flowing")
      }
      let up = try fixture.deploy(["-e", "gunicorn_timeout=61"])
      #expect(up.status == 0, "\(up.all)")
      for host in Self.hosts {
        #expect(
          try instancesAnswering(
            host, expecting: ["dci-api-0", "dci-api-1", "dci-api-2", "dci-api-3"]
          ).count == 4)
      }
    }

    @Test func `7 a host lost mid-play is unreachable, the others complete, a rerun converges`()
      throws
    {
      let fixture = try fixture
      let lost = "e2e3"
      let running = try fixture.start(["-e", "gunicorn_timeout=62"])
      // Once the dci_api part has begun, cut the third host off: no sshd, no session.
      for _ in 0..<400 where !running.stdoutSoFar.contains("TASK [dci_api :") { usleep(25_000) }
      _ = try fixture.exec(lost, ["systemctl", "stop", "ssh.socket", "ssh.service"])
      _ = try? fixture.exec(lost, ["pkill", "-KILL", "sshd"])  // also sshd-session (OpenSSH 10)
      let result = running.wait()
      #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
      #expect(DeploymentFixture.recap(result.stdout, host: lost)["unreachable"] == 1)
      for host in Self.hosts where host != lost {
        let recap = DeploymentFixture.recap(result.stdout, host: host)
        #expect(recap["failed"] == 0 && recap["unreachable"] == 0, "\(host)")
        let unit = try fixture.exec(host, ["cat", "/etc/containers/systemd/dci-api@.container"])
        #expect(unit.contains("DCI_GUNICORN_TIMEOUT=62"), "\(host) completed")
      }
      for secret in DeploymentFixture.secretValues.values {
        #expect(!result.stdout.contains(secret))
      }

      _ = try fixture.exec(lost, ["systemctl", "start", "ssh.service"])
      let rerun = try fixture.deploy(["-e", "gunicorn_timeout=62"])
      #expect(rerun.status == 0, "\(rerun.all)")
      let unit = try fixture.exec(lost, ["cat", "/etc/containers/systemd/dci-api@.container"])
      #expect(unit.contains("DCI_GUNICORN_TIMEOUT=62"))
      let states = try fixture.exec(
        lost, ["systemctl", "show", "--property=ActiveState", "--value", "--"] + Self.instances)
      #expect(states.split(separator: "\n") == Array(repeating: "active", count: 4))
      // The running instances use the new unit: they (re)started after it was written.
      #expect(
        try fixture.started(
          Self.instances, after: "/etc/containers/systemd/dci-api@.container", on: lost))
      let again = try fixture.deploy(["-e", "gunicorn_timeout=62"])
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(again.stdout, host: host)["changed"] == 0)
      }
    }

    @Test func `8 a rotated SSO key is predicted, backed up, restarted and arrives byte for byte`()
      throws
    {
      let fixture = try fixture
      let rotated = DeploymentFixture.makePublicKey()
      let keyLines = rotated.split(separator: "\n").filter { !$0.hasPrefix("-----") }
      #expect(keyLines.count >= 6 && rotated != DeploymentFixture.publicKey)
      let extra = try extraVarsFile(["vault_sso_public_key": rotated])
      let times = try Self.hosts.map { try fixture.startTimes($0, Self.instances) }
      let check = try fixture.deploy(["--check", "--diff"] + extra)
      #expect(check.status == 0, "\(check.all)")
      #expect(
        DeploymentFixture.handlers(check.stdout) == [
          "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
        ])
      let secretTask = try #require(
        check.stdout.components(separatedBy: "TASK [dci_api : Store the SSO public key").last)
      let task = secretTask.components(separatedBy: "TASK [").first ?? ""
      for host in Self.hosts { #expect(task.contains("changed: [\(host)]"), "\(task)") }
      #expect(try Self.hosts.map { try fixture.startTimes($0, Self.instances) } == times)

      // Applied while the controller's and a host's command lines are sampled for the key.
      let running = try fixture.start(extra)
      var samples = 0
      var seenInCommandLine = false
      repeat {
        let host = try fixture.exec(
          "e2e1", ["sh", "-c", "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '"])
        let local = Self.localCommandLines()
        seenInCommandLine =
          seenInCommandLine || keyLines.contains { host.contains($0) || local.contains($0) }
        samples += 1
        usleep(50_000)  // leave the 2 cores to the run being sampled
      } while running.isRunning && samples < 2000
      let apply = running.wait()
      #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
      #expect(samples > 3 && !seenInCommandLine, "\(samples) samples")
      for output in [check.stdout + check.stderr, apply.stdout + apply.stderr] {
        #expect(!keyLines.contains { output.contains($0) }, "a line of the key reached the output")
      }
      #expect(
        DeploymentFixture.handlers(apply.stdout) == [
          "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
        ])
      for host in Self.hosts {
        #expect(
          try fixture.started(Self.instances, after: "/var/tmp/dci-api-backup-marker", on: host))
        for container in (0..<4).map({ "dci-api-\($0)" }) {
          let seen = try Self.received(fixture, host, container)
          #expect(seen["SSO_PUBLIC_KEY"] == rotated, "\(host) \(container): the rotated key")
        }
      }
      let back = try fixture.deploy()
      #expect(back.status == 0, "\(back.all)")
      for host in Self.hosts {
        #expect(
          try Self.received(fixture, host, "dci-api-0")["SSO_PUBLIC_KEY"]
            == DeploymentFixture.publicKey)
      }
    }

    /// Every process's command line on this machine, joined.
    static func localCommandLines() -> String {
      let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
      return pids.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
        FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map {
          String(decoding: $0, as: UTF8.self)
        }
      }.joined(separator: " ")
    }

    /// A wrong password: with every instance restarted at once (a batch of 4), none can log
    /// in and HAProxy serves nothing; with the default roll, the roll stops at the first
    /// instance and the others keep serving with the old password.
    @Test func `9 a wrong database password fails the run; the roll keeps the others serving`()
      throws
    {
      let fixture = try fixture
      // A start that cannot log in fails at the start timeout: 30 s, not systemd's 90.
      let wrong =
        try extraVarsFile(["dbpassword": "not-the-Secr3t"]) + ["-e", "dci_api_start_timeout=30"]
      let all = try fixture.deploy(wrong + ["-e", "dci_api_restart_batch_size=4"])
      #expect(all.status == 2, "\(all.why)")
      #expect(all.stdout.contains("password authentication failed"), "\(all.stdout)")
      #expect(!all.all.contains("not-the-Secr3t"))
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(all.stdout, host: host)["failed"] == 1, "\(host)")
        #expect(try head(host, "/api/v1/") != 200, "\(host): HEAD /api/v1/ through HAProxy")
      }
      let good = try fixture.deploy()
      #expect(good.status == 0, "\(good.why)")
      try expectServing()

      let before = try Self.hosts.map { try fixture.startTimes($0, Self.instances) }
      let rolled = try fixture.deploy(wrong)
      #expect(rolled.status == 2, "\(rolled.why)")
      for (index, host) in Self.hosts.enumerated() {
        let after = try fixture.startTimes(host, Self.instances)
        #expect(
          Self.instances.dropFirst().allSatisfy { after[$0] == before[index][$0] },
          "\(host): the roll stopped at the first instance")
        #expect(try head(host, "/api/v1/") == 200, "\(host): the others keep serving")
      }
      let again = try fixture.deploy()
      #expect(again.status == 0, "\(again.why)")
      try expectServing()
    }

    /// `HEAD /api/v1/` through HAProxy answers 200 on every host (within 10 s).
    func expectServing() throws {
      for host in Self.hosts {
        var status: Int32 = 0
        for _ in 0..<40 where status != 200 {
          status = try head(host, "/api/v1/")
          if status != 200 { usleep(250_000) }
        }
        #expect(status == 200, "\(host): HEAD /api/v1/ through HAProxy")
      }
    }

    @Test func `10 a flag gunicorn does not know fails the instances and the run says why`() throws
    {
      let fixture = try fixture
      let bad = try fixture.deploy(["-e", "gunicorn_extra_cmd_args=--no-such-flag"])
      #expect(bad.status == 2, "\(bad.why)")
      #expect(bad.stdout.contains("unrecognized arguments: --no-such-flag"), "\(bad.stdout)")
      for host in Self.hosts {
        #expect(DeploymentFixture.recap(bad.stdout, host: host)["failed"] == 1, "\(host)")
      }
      let good = try fixture.deploy()
      #expect(good.status == 0, "\(good.why)")
      for host in Self.hosts {
        let states = try fixture.exec(
          host, ["systemctl", "show", "--property=ActiveState", "--value", "--"] + Self.instances)
        #expect(states.split(separator: "\n") == Array(repeating: "active", count: 4), "\(host)")
      }
    }
  }
}
