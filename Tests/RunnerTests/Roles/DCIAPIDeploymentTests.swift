import Foundation
import Testing

extension BootedHostSuites {
  /// The `dci_api` and `haproxy` roles on a booted host (systemd 257, podman 5 with Quadlet)
  /// over ssh, through the `runner` binary: first deploy, idempotent rerun, check mode with a
  /// diff, scaling down and up. One host, so the tests run in order.
  @Suite(.serialized)
  struct DCIAPIDeploymentTests {
    static let host = "rt-role"
    static let fixture = Result { try DeploymentFixture(hosts: [host]) }
    let instances = (0..<4).map { "dci-api@\($0).service" }

    var fixture: DeploymentFixture {
      get throws { try Self.fixture.get() }
    }

    @Test func `1 first deploy writes every file and runs the handlers in definition order`() throws
    {
      let fixture = try fixture
      let result = try fixture.deploy()
      #expect(result.status == 0, "\(result.all)")
      #expect(DeploymentFixture.recap(result.stdout, host: Self.host)["failed"] == 0)
      #expect(
        DeploymentFixture.handlers(result.stdout) == [
          "haproxy : Restart haproxy", "haproxy : Reload haproxy",
          "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
          "dci_api : Restart dci-api-auth-tracking",
        ])
      let modes = try fixture.exec(
        Self.host,
        [
          "stat", "-c", "%n %a", "/etc/dci-api", "/etc/dci-api/dci-api.env",
          "/etc/containers/systemd/dci-api@.container",
          "/etc/containers/systemd/dci-api-auth-tracking.image",
          "/etc/containers/systemd/dci-api-auth-tracking.container",
          "/etc/haproxy/conf.d/10_backend_dci_api.cfg",
        ])
      #expect(
        modes == """
          /etc/dci-api 755
          /etc/dci-api/dci-api.env 600
          /etc/containers/systemd/dci-api@.container 644
          /etc/containers/systemd/dci-api-auth-tracking.image 644
          /etc/containers/systemd/dci-api-auth-tracking.container 644
          /etc/haproxy/conf.d/10_backend_dci_api.cfg 644

          """)
      let environment = try fixture.exec(Self.host, ["cat", "/etc/dci-api/dci-api.env"])
      let names = environment.split(separator: "\n").map { String($0.prefix { $0 != "=" }) }
      #expect(
        names == [
          "API_HOST", "LOG_LEVEL", "DB_HOST", "DB_USER", "DB_NAME", "SQLALCHEMY_POOL_SIZE",
          "SQLALCHEMY_MAX_OVERFLOW", "STORE_ENGINE", "STORE_FILES_CONTAINER",
          "STORE_COMPONENTS_CONTAINER", "AWS_REGION", "ZMQ_CONN", "MAX_CONTENT_LENGTH_MB",
          "ANALYTICS_URL", "AMQP_BROKER_URL", "SSO_AUDIENCES", "SSO_READ_ONLY_GROUP",
          "SSO_URL", "SSO_REALM", "CERTIFICATION_URL", "SSO_CERTTIFICATION_URL", "RHDL_API_URL",
          "REDIS_URL",
        ])
      // The secrets are Podman secrets, root's only: podman's database, which keeps the env
      // file's values, is readable by every local user.
      let secrets = try fixture.exec(
        Self.host, ["podman", "secret", "ls", "--noheading", "--format", "{{.Name}}"])
      #expect(
        Set(secrets.split(separator: "\n")) == [
          "dci-api-db-password", "dci-api-aws-access-key-id", "dci-api-aws-secret-access-key",
          "dci-api-rhdl-service-account-access-key", "dci-api-rhdl-service-account-secret-key",
          "dci-api-sso-public-key",
        ])
      let backend = try fixture.exec(
        Self.host, ["cat", "/etc/haproxy/conf.d/10_backend_dci_api.cfg"])
      #expect((0..<4).allSatisfy { backend.contains("server dci-api-\($0) dci-api-\($0):5000") })
      let active = try fixture.exec(
        Self.host,
        ["systemctl", "is-active"] + instances + [
          "dci-api-auth-tracking.service", "haproxy.service",
        ])
      #expect(active == String(repeating: "active\n", count: 6))
      // The backup ran before the restart: its marker is older than every instance's start
      // (both in whole seconds, so a restart in the backup's second passes too).
      #expect(
        try fixture.started(instances, after: "/var/tmp/dci-api-backup-marker", on: Self.host),
        "an instance started before the backup marker was written")
    }

    @Test func `2 an identical rerun changes nothing and fires no handler`() throws {
      let fixture = try fixture
      let before = try fixture.startTimes(Self.host, instances + ["haproxy.service"])
      let result = try fixture.deploy(["-v"])
      #expect(result.status == 0, "\(result.all)")
      #expect(DeploymentFixture.recap(result.stdout, host: Self.host)["changed"] == 0)
      #expect(DeploymentFixture.handlers(result.stdout).isEmpty)
      #expect(try fixture.startTimes(Self.host, instances + ["haproxy.service"]) == before)
      // The whole role planned from one batched read on an unchanged host, after the lock.
      #expect(result.stdout.contains("<\(Self.host)> 2 round trips"))
    }

    @Test func `3 check mode with a diff shows the one line and changes nothing`() throws {
      let fixture = try fixture
      let files = [
        "/etc/dci-api/dci-api.env", "/etc/containers/systemd/dci-api@.container",
        "/etc/haproxy/conf.d/10_backend_dci_api.cfg",
      ]
      let before = try fixture.fingerprint(Self.host, files)
      let times = try fixture.startTimes(Self.host, instances)
      let result = try fixture.deploy(["--check", "--diff", "-e", "gunicorn_timeout=61"])
      #expect(result.status == 0, "\(result.all)")
      let changedLines = result.stdout.split(separator: "\n").filter {
        ($0.hasPrefix("-") || $0.hasPrefix("+")) && !$0.hasPrefix("---") && !$0.hasPrefix("+++")
      }
      #expect(changedLines.count == 2)
      #expect(changedLines.first == "-Environment=DCI_GUNICORN_TIMEOUT=60")
      #expect(changedLines.last == "+Environment=DCI_GUNICORN_TIMEOUT=61")
      #expect(
        DeploymentFixture.handlers(result.stdout) == [
          "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
        ])
      #expect(try fixture.fingerprint(Self.host, files) == before)
      #expect(try fixture.startTimes(Self.host, instances) == times)
    }

    @Test func `4 scaling down stops the excess instances and scaling up starts only new ones`()
      throws
    {
      let fixture = try fixture
      let haproxyBefore = try fixture.startTimes(Self.host, ["haproxy.service"])
      let down = try fixture.deploy(["-e", "dci_api_container_scale=2"])
      #expect(down.status == 0, "\(down.all)")
      let states = try fixture.exec(
        Self.host, ["systemctl", "show", "--property=ActiveState", "--value", "--"] + instances)
      #expect(states.split(separator: "\n") == ["active", "active", "inactive", "inactive"])
      let stale = try fixture.exec(
        Self.host,
        ["systemctl", "show", "--property=NeedDaemonReload", "--value", "--"] + instances)
      #expect(!stale.contains("yes"))
      let backend = try fixture.exec(
        Self.host, ["cat", "/etc/haproxy/conf.d/10_backend_dci_api.cfg"])
      #expect(backend.contains("server dci-api-1 ") && !backend.contains("server dci-api-2 "))
      #expect(DeploymentFixture.handlers(down.stdout) == ["haproxy : Reload haproxy"])
      #expect(try fixture.startTimes(Self.host, ["haproxy.service"]) == haproxyBefore)

      // Scale 0 (issue 12: an internal error before): every instance stopped, no server left.
      let none = try fixture.deploy(["-e", "dci_api_container_scale=0"])
      #expect(none.status == 0, "\(none.all)")
      let stopped = try fixture.exec(
        Self.host, ["systemctl", "show", "--property=ActiveState", "--value", "--"] + instances)
      #expect(stopped.split(separator: "\n") == Array(repeating: "inactive", count: 4))
      let empty = try fixture.exec(
        Self.host, ["cat", "/etc/haproxy/conf.d/10_backend_dci_api.cfg"])
      #expect(!empty.contains("    server "), "\(empty)")
      let again = try fixture.deploy(["-e", "dci_api_container_scale=0"])
      #expect(
        DeploymentFixture.recap(again.stdout, host: Self.host)["changed"] == 0, "\(again.all)")

      _ = try fixture.deploy(["-e", "dci_api_container_scale=2"])
      let kept = try fixture.startTimes(Self.host, Array(instances.prefix(2)))
      let up = try fixture.deploy()
      #expect(up.status == 0, "\(up.all)")
      #expect(try fixture.startTimes(Self.host, Array(instances.prefix(2))) == kept)
      let active = try fixture.exec(Self.host, ["systemctl", "is-active"] + instances)
      #expect(active == String(repeating: "active\n", count: 4))
    }

    /// The environment file cannot carry a line break (the SSO key, which has them, goes in
    /// a Podman secret instead).
    @Test func `5 a multi-line value for the environment file is refused before any change`()
      throws
    {
      let fixture = try fixture
      let before = try fixture.fingerprint(Self.host, ["/etc/dci-api/dci-api.env"])
      let file = try fixture.directory.write(
        "multi-line.json", #"{"vault_db_password": "line one\nline two"}"#)
      let result = try fixture.deploy(["-e", "@\(file.path)"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("dbpassword"))
      #expect(result.stderr.contains("line break"))
      #expect(!result.stdout.contains("PLAY ["))
      #expect(try fixture.fingerprint(Self.host, ["/etc/dci-api/dci-api.env"]) == before)
    }

    /// Paths that pass no check before but fail or do harm during the run (issue 12): each
    /// is refused before any change, in check mode too, and the host stays as it was.
    @Test(arguments: [
      "haproxy_config_dir=/etc/haproxy/conf.d:ro", "haproxy_config_dir=/tmp",
      "haproxy_config_dir=/etc", "haproxy_config_dir=/etc/dci-api",
      "haproxy_main_config=/etc/issue", "haproxy_main_config=/etc/haproxy/%s.cfg",
    ])
    func `5b a path that cannot work or would harm the host is refused before any change`(
      setting: String
    ) throws {
      let fixture = try fixture
      let watched = [
        "/etc/dci-api/dci-api.env", "/etc/haproxy/haproxy.cfg",
        "/etc/haproxy/conf.d/10_backend_dci_api.cfg", "/etc/issue",
      ]
      let before = try fixture.fingerprint(Self.host, watched)
      let tmp = try fixture.exec(Self.host, ["stat", "-c", "%a", "/tmp"])
      for mode in [[], ["--check"]] {
        let result = try fixture.deploy(mode + ["-e", setting])
        #expect(result.status == 1, "\(result.all)")
        #expect(result.stderr.contains(String(setting.prefix { $0 != "=" })), "\(result.stderr)")
        #expect(!result.stdout.contains("PLAY ["))
      }
      #expect(try fixture.fingerprint(Self.host, watched) == before)
      #expect(try fixture.exec(Self.host, ["stat", "-c", "%a", "/tmp"]) == tmp)
    }

    static let sidecarUnit = "dci-api-auth-tracking.service"
    static let sidecarFiles = [
      "/etc/containers/systemd/dci-api-auth-tracking.container",
      "/etc/containers/systemd/dci-api-auth-tracking.image",
    ]

    /// `LoadState ActiveState` of the sidecar, and which of its Quadlet files exist.
    func sidecar(_ fixture: DeploymentFixture) throws -> (state: String, files: String) {
      let state = try fixture.exec(
        Self.host,
        [
          "systemctl", "show", "--property=LoadState,ActiveState", "--value", "--",
          Self.sidecarUnit,
        ])
      let files = try fixture.exec(
        Self.host,
        ["sh", "-c", "for f; do test -e \"$f\" && echo \"$f\"; done; true", "sh"]
          + Self.sidecarFiles)
      return (state.split(separator: "\n").joined(separator: " "), files)
    }

    @Test func `6 turning the sidecar off stops it and removes its units; a rerun changes nothing`()
      throws
    {
      let fixture = try fixture
      #expect(try sidecar(fixture).state == "loaded active")
      let instancesBefore = try fixture.startTimes(Self.host, instances)
      let off = #"{"dci_api_auth_tracking_enabled": false}"#
      let result = try fixture.deploy(["-e", off])
      #expect(result.status == 0, "\(result.all)")
      #expect(DeploymentFixture.handlers(result.stdout).isEmpty, "\(result.stdout)")
      let (state, files) = try sidecar(fixture)
      #expect(state == "not-found inactive", "systemd still has the sidecar: \(state)")
      #expect(files.isEmpty, "left behind: \(files)")
      let container = try fixture.exec(
        Self.host,
        ["sh", "-c", "podman container exists dci-api-auth-tracking && echo present || echo gone"])
      #expect(container == "gone\n")
      // The API did not restart: nothing it watches changed.
      #expect(try fixture.startTimes(Self.host, instances) == instancesBefore)

      let again = try fixture.deploy(["-e", off])
      #expect(again.status == 0, "\(again.all)")
      #expect(
        DeploymentFixture.recap(again.stdout, host: Self.host)["changed"] == 0, "\(again.stdout)")

      // And on again: the units come back and the sidecar runs.
      let on = try fixture.deploy()
      #expect(on.status == 0, "\(on.all)")
      #expect(DeploymentFixture.handlers(on.stdout) == ["dci_api : Restart dci-api-auth-tracking"])
      #expect(try sidecar(fixture).state == "loaded active")
    }
  }
}
