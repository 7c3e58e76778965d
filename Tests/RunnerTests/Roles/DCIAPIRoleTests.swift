import Engine
import Foundation
import Modules
import Synchronization
import Testing

@testable import Roles

/// The `dci_api` role (and its `haproxy` dependency) through the engine, against a fake host
/// that simulates systemd, podman and Quadlet (`SimulatedSystem`): what it plans and runs,
/// without a booted host. The booted suites (`DCIAPIDeploymentTests`) prove the same against
/// real systemd; these pin the logic where it is cheap to.
@Suite struct DCIAPIRoleTests {
  /// The role's secrets, and values that are not, for a plain deployment.
  static let secrets: [String: JSONValue] = [
    "dbpassword": "db-Role-Secr3t", "store_s3_aws_secret_access_key": "s3-Role-Secr3t",
    "sso_public_key": "MIIBIjANRoleSecr3tKey",
    "rhdl_service_account_secret_key": "rhdl-Role-Secr3t",
    "store_s3_aws_access_key_id": "AKIA-Role-Secr3t",
    "rhdl_service_account_access_key": "rhdl-Role-Access",
  ]

  /// The shipped playbook's variables with the secrets above and `overrides`.
  static func variables(_ overrides: [String: JSONValue] = [:]) throws -> [String: JSONValue] {
    try HostileValueTests.dciAPIVariables().merging(secrets) { _, new in new }
      .merging(overrides) { _, new in new }
  }

  static func playbook(_ vars: [String: JSONValue]) -> String {
    let play: JSONValue = [
      "name": "Deploy the DCI API", "hosts": "all", "vars": .object(vars), "roles": ["dci_api"],
    ]
    return JSONValue.array([play]).compactJSON
  }

  /// A fake host with the simulation; the directories a Debian host with podman has.
  static func world(hosts: [String] = ["h1"], hostVars: [String: [String: JSONValue]] = [:])
    -> (TestRun, [String: SimulatedSystem])
  {
    var run = TestRun(hosts: hosts, hostVars: hostVars)
    run.roles = StandardRoles.all
    var systems: [String: SimulatedSystem] = [:]
    for host in run.hosts {
      systems[host.name] = SimulatedSystem(
        on: host, directories: ["/etc", "/etc/containers", "/etc/containers/systemd", "/var/tmp"])
    }
    return (run, systems)
  }

  /// Another run against the hosts of `previous`, with their host variables.
  static func rerun(
    _ previous: TestRun, check: Bool = false, hostVars: [String: [String: JSONValue]]? = nil
  ) -> TestRun {
    var run = TestRun(reusing: previous.hosts)
    run.inventory = Inventory(
      hosts: previous.inventory.hosts.map {
        InventoryHost(name: $0.name, hostVariables: hostVars?[$0.name] ?? $0.hostVariables)
      })
    run.roles = StandardRoles.all
    run.options.checkMode = check
    run.options.diff = check
    return run
  }

  static func expectClean(
    _ recap: PlayRecap, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    #expect(
      recap.stats.values.allSatisfy { $0.failed == 0 && $0.unreachable == 0 }, "\(recap)",
      sourceLocation: sourceLocation)
  }

  /// The `-`/`+` lines of a rendered diff, without its headers.
  static func changedLines(_ rendered: String) -> [String] {
    rendered.split(separator: "\n").map(String.init).filter {
      ($0.hasPrefix("-") || $0.hasPrefix("+")) && !$0.hasPrefix("---") && !$0.hasPrefix("+++")
    }
  }

  // MARK: The real image's contract

  static let pem = """
    -----BEGIN PUBLIC KEY-----
    MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAroleTestKeyLineOne0000
    roleTestKeyLineTwo0000000000000000000000000000000000000000000000
    -----END PUBLIC KEY-----

    """

  /// The API's unit runs the image's own command with its gunicorn config kept, gunicorn's
  /// settings under the names that config reads, the SSO key from a Podman secret, and a
  /// start that is done only once the instance is healthy.
  @Test func `the API unit keeps the image's command and config and reads the key from a secret`()
    async throws
  {
    let (run, systems) = Self.world()
    let vars = try Self.variables([
      "sso_public_key": .string(Self.pem), "gunicorn_nb_workers": 3,
      "gunicorn_extra_cmd_args": "--log-level debug",
    ])
    Self.expectClean(try await run.run(Self.playbook(vars)))
    let unit = try #require(run.host("h1").text("/etc/containers/systemd/dci-api@.container"))
    let lines = Set(unit.split(separator: "\n").map(String.init))
    for expected in [
      "Exec=/usr/local/bin/gunicorn -c /etc/gunicorn.conf.py -b 0.0.0.0:5000 --log-level debug "
        + "dci.app:create_app()",
      "Environment=DCI_NB_WORKERS=3", "Environment=DCI_GUNICORN_WORKER_CONNECTIONS=200",
      "Environment=DCI_GUNICORN_MAX_REQUESTS=0", "Environment=DCI_GUNICORN_MAX_REQUESTS_JITTER=0",
      "Environment=DCI_GUNICORN_TIMEOUT=60", "Environment=DCI_GUNICORN_GRACEFUL_TIMEOUT=90",
      "Secret=dci-api-sso-public-key,type=env,target=SSO_PUBLIC_KEY", "Notify=healthy",
      "HealthCmd=curl --head --fail --silent --show-error http://localhost:5000/api/v1/",
      "HealthStartupCmd=curl --head --fail --silent --show-error http://localhost:5000/api/v1/",
    ] {
      #expect(lines.contains(expected), "\(expected) in \(unit)")
    }
    #expect(!lines.contains { $0.hasPrefix("Entrypoint=") })
    #expect(systems["h1"]?.secrets["dci-api-sso-public-key"] == Data(Self.pem.utf8))
    let environment = try #require(run.host("h1").text("/etc/dci-api/dci-api.env"))
    #expect(!environment.contains("SSO_PUBLIC_KEY") && !environment.contains("roleTestKey"))
    #expect(environment.contains("\nCERTIFICATION_URL=https://certification.example.com\n"))
    #expect(environment.contains("\nSSO_CERTTIFICATION_URL=https://certification.example.com\n"))
  }

  /// A new key: `--check` predicts the secret's change and the restart it owes, changing
  /// nothing; applied, the backup runs, then the restart. The key never reaches a command
  /// line, the output or the diff.
  @Test func `a rotated SSO key is predicted, then backed up and restarted, never shown`()
    async throws
  {
    let (first, systems) = Self.world()
    Self.expectClean(
      try await first.run(Self.playbook(try Self.variables(["sso_public_key": .string(Self.pem)]))))
    let rotated = Self.pem.replacingOccurrences(of: "LineTwo", with: "Rotated")
    let playbook = Self.playbook(try Self.variables(["sso_public_key": .string(rotated)]))
    let step = "dci_api : Store the SSO public key as a Podman secret"

    let check = Self.rerun(first, check: true)
    Self.expectClean(try await check.run(playbook))
    #expect(check.sink.results(of: step)["h1"]?.status == .changed)
    #expect(
      check.sink.handlersRun == [
        "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
      ])
    #expect(systems["h1"]?.secrets["dci-api-sso-public-key"] == Data(Self.pem.utf8))
    let diff = try #require(check.sink.results(of: step)["h1"]?.diffs.first)
    #expect(diff.isHidden)

    let apply = Self.rerun(first)
    Self.expectClean(try await apply.run(playbook))
    #expect(
      apply.sink.handlersRun == [
        "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
      ])
    #expect(systems["h1"]?.secrets["dci-api-sso-public-key"] == Data(rotated.utf8))
    let commands = apply.host("h1").commands.map { $0.joined(separator: " ") }
    #expect(!commands.contains { $0.contains("Rotated") || $0.contains("roleTestKey") })
    let json = await Self.jsonOutput(of: check.sink.all + apply.sink.all)
    #expect(!json.contains("Rotated") && !json.contains("roleTestKey"))
    let again = Self.rerun(first)
    Self.expectClean(try await again.run(playbook))
    #expect(again.sink.results(of: step)["h1"]?.status == .ok)
    #expect(again.sink.handlersRun.isEmpty)
  }

  /// An empty key: no secret and no `Secret=` line (podman refuses an empty secret).
  @Test func `an empty SSO key removes the secret and its line`() async throws {
    let (first, systems) = Self.world()
    Self.expectClean(
      try await first.run(Self.playbook(try Self.variables(["sso_public_key": .string(Self.pem)]))))
    let again = Self.rerun(first)
    Self.expectClean(try await again.run(Self.playbook(try Self.variables(["sso_public_key": ""]))))
    #expect(systems["h1"]?.secrets["dci-api-sso-public-key"] == nil)
    let unit = try #require(first.host("h1").text("/etc/containers/systemd/dci-api@.container"))
    #expect(!unit.contains("target=SSO_PUBLIC_KEY"))
    #expect(unit.contains("Secret=dci-api-db-password,type=env,target=DB_PASSWORD"))
  }

  // MARK: The environment file's diff

  @Test func `a changed api_log_level shows exactly its line, and no secret, old or new`()
    async throws
  {
    let (first, systems) = Self.world()
    Self.expectClean(try await first.run(Self.playbook(try Self.variables())))
    let deployed = try #require(first.host("h1").text("/etc/dci-api/dci-api.env"))
    #expect(deployed.contains("LOG_LEVEL=INFO\n"))
    #expect(!deployed.contains("DB_PASSWORD"))
    #expect(systems["h1"]?.secrets["dci-api-db-password"] == Data("db-Role-Secr3t".utf8))

    let check = Self.rerun(first, check: true)
    Self.expectClean(
      try await check.run(Self.playbook(try Self.variables(["api_log_level": "DEBUG"]))))
    let result = try #require(check.sink.results(of: "dci_api : Render the environment file")["h1"])
    #expect(result.status == .changed)
    let diff = try #require(result.diffs.first)
    #expect(!diff.isHidden)
    let rendered = TextDiff.render(diff)
    #expect(Self.changedLines(rendered) == ["-LOG_LEVEL=INFO", "+LOG_LEVEL=DEBUG"], "\(rendered)")
    // The context around it is shown.
    #expect(rendered.contains("\n DB_USER="), "\(rendered)")
    let json = await Self.jsonOutput(of: check.sink.all)
    for secret in Self.secrets.values.compactMap(\.stringValue) {
      #expect(!rendered.contains(secret))
      #expect(!json.contains(secret))
    }
    #expect(json.contains(#"LOG_LEVEL=INFO\n"#) && json.contains(#"LOG_LEVEL=DEBUG\n"#))
    #expect(first.host("h1").text("/etc/dci-api/dci-api.env") == deployed)
  }

  @Test func `a changed secret is a changed Podman secret, neither value shown`() async throws {
    let (first, _) = Self.world()
    Self.expectClean(try await first.run(Self.playbook(try Self.variables())))
    let check = Self.rerun(first, check: true)
    Self.expectClean(
      try await check.run(Self.playbook(try Self.variables(["dbpassword": "db-New-Secr3t"]))))
    let file = try #require(check.sink.results(of: "dci_api : Render the environment file")["h1"])
    #expect(file.status == .ok)
    let secret = try #require(
      check.sink.results(of: "dci_api : Store DB_PASSWORD as a Podman secret")["h1"])
    #expect(secret.status == .changed)
    let rendered = secret.diffs.map { TextDiff.render($0) }.joined()
    let json = await Self.jsonOutput(of: check.sink.all)
    for secret in ["db-Role-Secr3t", "db-New-Secr3t"] {
      #expect(!rendered.contains(secret))
      #expect(!json.contains(secret))
    }
  }

  /// Every secret variable of the role lands on a line whose name the diff masks, but the SSO
  /// key, which reaches the API as a Podman secret instead.
  @Test func `every secret variable's line is masked: only public names are shown`() throws {
    var vars = try Self.variables()
    vars["store_engine"] = "s3"
    let variables = try JSONValue.object(vars).decode(DCIAPIVariables.self)
    let environment = variables.environment
    let secretValues = Set(Self.secrets.values.compactMap(\.stringValue))
    let secretLines = environment.entries.filter { secretValues.contains($0.value) }
    #expect(secretLines.count == DCIAPIVariables.secretVariableNames.count - 1)
    #expect(!environment.entries.contains { $0.name == "SSO_PUBLIC_KEY" })
    #expect(environment.publicNames.isDisjoint(with: secretLines.map(\.name)))
    #expect(
      Set(environment.entries.map(\.name)).subtracting(environment.publicNames) == [
        "DB_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "RHDL_SERVICE_ACCOUNT_ACCESS_KEY", "RHDL_SERVICE_ACCOUNT_SECRET_KEY",
      ])
  }

  /// Scale 0 (issue 12): from nothing, then with a change that owes a restart, in check
  /// mode and applied, every step plans and nothing fails.
  @Test func `scale 0 deploys, restarts and checks without an instance`() async throws {
    let zero: [String: JSONValue] = ["dci_api_container_scale": 0]
    let (first, _) = Self.world()
    Self.expectClean(try await first.run(Self.playbook(try Self.variables(zero))))
    let changed = try Self.variables(zero.merging(["api_log_level": "DEBUG"]) { _, new in new })
    let check = Self.rerun(first, check: true)
    Self.expectClean(try await check.run(Self.playbook(changed)))
    let apply = Self.rerun(first)
    Self.expectClean(try await apply.run(Self.playbook(changed)))
    #expect(apply.sink.handlersRun.contains("dci_api : Restart dci-api"))
    let backend = try #require(first.host("h1").text("/etc/haproxy/conf.d/10_backend_dci_api.cfg"))
    #expect(!backend.contains("    server "))
  }

  // MARK: The auth tracking sidecar turned off

  static let sidecarSteps = [
    "dci_api : Stop the auth tracking sidecar if it runs",
    "dci_api : Remove the auth tracking Quadlet files",
    "dci_api : Reload systemd without the auth tracking units",
  ]
  static let sidecarFiles: [HostPath] = [
    "/etc/containers/systemd/dci-api-auth-tracking.container",
    "/etc/containers/systemd/dci-api-auth-tracking.image",
  ]
  static let sidecarUnit = "dci-api-auth-tracking.service"

  static func sidecar(_ enabled: Bool) -> [String: [String: JSONValue]] {
    ["h1": ["dci_api_auth_tracking_enabled": .bool(enabled)]]
  }

  @Test func `turning the sidecar off stops it, removes its files, reloads, then plans nothing`()
    async throws
  {
    let (on, systems) = Self.world(hostVars: Self.sidecar(true))
    let system = try #require(systems["h1"])
    let playbook = Self.playbook(try Self.variables())
    Self.expectClean(try await on.run(playbook))
    let host = on.host("h1")
    #expect(Self.sidecarFiles.allSatisfy { host.file($0) != nil })
    #expect(system.units[Self.sidecarUnit] == "active")

    let off = Self.rerun(on, hostVars: Self.sidecar(false))
    let before = host.mutations.count
    Self.expectClean(try await off.run(playbook))
    // The reload runs (below) but, as Ansible's daemon_reload, is never a change itself.
    #expect(
      Self.sidecarSteps.map { off.sink.results(of: $0)["h1"]?.status } == [
        .changed, .changed, .ok,
      ])
    let ran = host.mutations.dropFirst(before).compactMap {
      if case .ran(let argv) = $0 { argv } else { nil }
    }
    // Stopped while its unit exists, then the files go, then systemd forgets the unit.
    let stop = try #require(ran.firstIndex(of: ["systemctl", "stop", "--", Self.sidecarUnit]))
    let removals = ran.indices.filter {
      ran[$0].first == "rm" && Self.sidecarFiles.map(\.rawValue).contains(ran[$0].last ?? "")
    }
    let reload = try #require(ran.lastIndex(of: ["systemctl", "daemon-reload"]))
    #expect(removals.count == 2, "\(ran)")
    #expect(stop < (removals.first ?? -1) && (removals.last ?? .max) < reload, "\(ran)")
    #expect(Self.sidecarFiles.allSatisfy { host.file($0) == nil })
    #expect(system.units[Self.sidecarUnit] == nil, "systemd still knows the sidecar")
    #expect(!off.sink.handlersRun.contains("dci_api : Restart dci-api-auth-tracking"))

    let again = Self.rerun(off, hostVars: Self.sidecar(false))
    let recap = try await again.run(playbook)
    Self.expectClean(recap)
    #expect(
      Self.sidecarSteps.map { again.sink.results(of: $0)["h1"]?.status } == [.ok, .ok, .skipped])
    #expect(recap.totalChanged == 0, "\(again.sink.transcript)")
  }

  @Test func `a host that never had the sidecar plans nothing for it`() async throws {
    let (run, _) = Self.world(hostVars: Self.sidecar(false))
    Self.expectClean(try await run.run(Self.playbook(try Self.variables())))
    #expect(
      Self.sidecarSteps.map { run.sink.results(of: $0)["h1"]?.status } == [.ok, .ok, .skipped])
    #expect(!run.host("h1").commands.contains { $0.contains(Self.sidecarUnit) && $0[1] != "show" })
  }

  // MARK: Command lines split as a shell would

  @Test func `quoted gunicorn arguments reach the unit's Exec line as single words`()
    async throws
  {
    let extra = #"--access-logformat "%(h)s %(r)s" --log-level 'debug'"#
    let vars = try Self.variables(["gunicorn_extra_cmd_args": .string(extra)])
    let variables = try JSONValue.object(vars).decode(DCIAPIVariables.self)
    #expect(
      try variables.gunicornCommand.suffix(5) == [
        "--access-logformat", "%(h)s %(r)s", "--log-level", "debug", "dci.app:create_app()",
      ])
    let (run, _) = Self.world()
    Self.expectClean(try await run.run(Self.playbook(vars)))
    let unit = try #require(run.host("h1").text("/etc/containers/systemd/dci-api@.container"))
    let exec = unit.split(separator: "\n").first { $0.hasPrefix("Exec=") } ?? ""
    #expect(
      exec.hasSuffix(
        #" --access-logformat "%%(h)s %%(r)s" --log-level debug dci.app:create_app()"#),
      "\(exec)")
  }

  // MARK: Handlers

  /// The main config's directory is mounted whole, so a reload reads the new file: a reload,
  /// done once a new worker answers the runtime API, and no restart of HAProxy.
  @Test func `a changed main HAProxy config reloads HAProxy and waits for its new worker`()
    async throws
  {
    let (first, systems) = Self.world()
    let playbook = Self.playbook(try Self.variables())
    Self.expectClean(try await first.run(playbook))
    first.host("h1").put("/etc/haproxy/haproxy.cfg", "# an older config\n")
    let second = Self.rerun(first)
    let before = first.host("h1").commands.count
    let calls = systems["h1"]?.runtimeCalls.count ?? 0
    Self.expectClean(try await second.run(playbook))
    #expect(second.sink.handlersRun == ["haproxy : Reload haproxy"])
    let ran = first.host("h1").commands.dropFirst(before)
    #expect(!ran.contains { $0.starts(with: ["systemctl", "restart"]) })
    #expect(systems["h1"]?.runtimeCalls.dropFirst(calls) == [["reload", "haproxy.service"]])
    let unit = try #require(first.host("h1").text("/etc/containers/systemd/haproxy.container"))
    #expect(unit.contains("Volume=/etc/haproxy:/usr/local/etc/haproxy/main:ro\n"))
    #expect(unit.contains("Exec=-f /usr/local/etc/haproxy/main/haproxy.cfg"))
    #expect(unit.contains("Volume=/run/haproxy:/var/run/haproxy-runtime:U\n"))
    #expect(
      unit.contains("RuntimeDirectory=haproxy\n") && unit.contains("RuntimeDirectoryMode=0700\n"))
    let main = try #require(first.host("h1").text("/etc/haproxy/haproxy.cfg"))
    for line in [
      "stats socket /var/run/haproxy-runtime/admin.sock mode 600 level admin", "option redispatch",
      "retries 3",
    ] {
      #expect(main.contains("    \(line)\n"), "\(line)")
    }
  }

  /// `Restart dci-api` rolls: each instance drained in HAProxy, restarted, back once `UP`,
  /// then the next; the backup once, before the first.
  @Test func `Restart dci-api restarts one instance at a time, each out of HAProxy`() async throws {
    let (first, systems) = Self.world()
    Self.expectClean(try await first.run(Self.playbook(try Self.variables())))
    let apply = Self.rerun(first)
    let before = first.host("h1").commands.count
    let calls = systems["h1"]?.runtimeCalls.count ?? 0
    Self.expectClean(
      try await apply.run(Self.playbook(try Self.variables(["api_log_level": "DEBUG"]))))
    #expect(
      apply.sink.handlersRun == [
        "dci_api : Run yolo backup with 'current' tag", "dci_api : Restart dci-api",
        "dci_api : Restart dci-api-auth-tracking",
      ])
    let restarts = first.host("h1").commands.dropFirst(before).filter {
      $0.starts(with: ["systemctl", "restart"])
    }
    #expect(
      restarts.prefix(4)
        == (0..<4).map { ["systemctl", "restart", "--", "dci-api@\($0).service"] }[...])
    #expect(
      Array(systems["h1"]?.runtimeCalls.dropFirst(calls) ?? [])
        == (0..<4).flatMap {
          [["drain", "dci_api/dci-api-\($0)"], ["ready", "dci_api/dci-api-\($0)"]]
        })
    let result = try #require(apply.sink.results(of: "dci_api : Restart dci-api")["h1"])
    #expect(result.values["batches"]?.arrayValue?.count == 4)
    #expect(
      result.values["msg"]?.stringValue?.hasPrefix("restarted 4 units in 4 batches in") == true)
  }

  /// A larger batch restarts that many instances at a time.
  @Test func `dci_api_restart_batch_size restarts that many at once`() async throws {
    let (first, systems) = Self.world()
    let vars = try Self.variables(["dci_api_restart_batch_size": 2])
    Self.expectClean(try await first.run(Self.playbook(vars)))
    let calls = systems["h1"]?.runtimeCalls.count ?? 0
    Self.expectClean(
      try await Self.rerun(first).run(
        Self.playbook(vars.merging(["api_log_level": "DEBUG"]) { $1 })))
    #expect(
      Array(systems["h1"]?.runtimeCalls.dropFirst(calls) ?? []) == [
        ["drain", "dci_api/dci-api-0", "dci_api/dci-api-1"],
        ["ready", "dci_api/dci-api-0", "dci_api/dci-api-1"],
        ["drain", "dci_api/dci-api-2", "dci_api/dci-api-3"],
        ["ready", "dci_api/dci-api-2", "dci_api/dci-api-3"],
      ])
  }

  /// `dci_api_start_timeout` is the instances' `TimeoutStartSec=`: how long a start may wait
  /// for the container to be healthy; systemd's own 90 s unless set.
  @Test func `dci_api_start_timeout bounds how long an instance may take to become healthy`()
    async throws
  {
    for (vars, expected) in [
      ([:], "90"), (["dci_api_start_timeout": 30] as [String: JSONValue], "30"),
    ] {
      let (run, _) = Self.world()
      Self.expectClean(try await run.run(Self.playbook(try Self.variables(vars))))
      let unit = try #require(run.host("h1").text("/etc/containers/systemd/dci-api@.container"))
      #expect(unit.split(separator: "\n").contains("TimeoutStartSec=\(expected)"), "\(unit)")
    }
  }

  /// Scaling down drains the instances that go away before they are stopped.
  @Test func `scaling down drains the instances beyond the scale before stopping them`()
    async throws
  {
    let (first, systems) = Self.world()
    Self.expectClean(try await first.run(Self.playbook(try Self.variables())))
    let before = first.host("h1").commands.count
    let calls = systems["h1"]?.runtimeCalls.count ?? 0
    Self.expectClean(
      try await Self.rerun(first).run(
        Self.playbook(try Self.variables(["dci_api_container_scale": 2]))))
    let ran = Array(first.host("h1").commands.dropFirst(before))
    let drain = try #require(
      ran.firstIndex { $0.starts(with: ["python3", "-"]) && $0[3] == "drain" })
    let stop = try #require(
      ran.firstIndex(of: ["systemctl", "stop", "--", "dci-api@2.service", "dci-api@3.service"]))
    #expect(drain < stop)
    #expect(
      systems["h1"]?.runtimeCalls.dropFirst(calls).first == [
        "drain", "dci_api/dci-api-2", "dci_api/dci-api-3",
      ])
  }

  @Test func `an empty backup command runs no backup before the restart`() async throws {
    let (run, _) = Self.world()
    Self.expectClean(
      try await run.run(Self.playbook(try Self.variables(["dci_api_backup_command": ""]))))
    #expect(run.sink.handlersRun.contains("dci_api : Restart dci-api"))
    #expect(!run.sink.handlersRun.contains("dci_api : Run yolo backup with 'current' tag"))
    #expect(!run.host("h1").commands.contains { $0.first == "yolo" })
  }

  @Test func `the backup command is split as a shell would and runs before the restart`()
    async throws
  {
    let (run, _) = Self.world()
    let command = #"yolo backup --tag "before restart" --note 'it'\''s fine'"#
    Self.expectClean(
      try await run.run(
        Self.playbook(try Self.variables(["dci_api_backup_command": .string(command)]))))
    let commands = run.host("h1").commands
    let backup = commands.firstIndex(of: [
      "yolo", "backup", "--tag", "before restart", "--note", "it's fine",
    ])
    let restart = commands.firstIndex {
      $0.starts(with: ["systemctl", "restart", "--", "dci-api@0.service"])
    }
    #expect(backup != nil && restart != nil && (backup ?? 0) < (restart ?? 0), "\(commands)")
  }

  @Test func `a failing backup fails the host and the API is not restarted`() async throws {
    let (run, _) = Self.world()
    run.host("h1").respond(
      to: ["sh", "-c", "echo backing up; exit 3"], exitCode: 3, stderr: "no space")
    let recap = try await run.run(
      Self.playbook(
        try Self.variables(["dci_api_backup_command": "sh -c 'echo backing up; exit 3'"])))
    #expect(recap.stats["h1"]?.failed == 1)
    #expect(recap.exitCode == 2)
    #expect(run.sink.handlersRun.contains("dci_api : Run yolo backup with 'current' tag"))
    #expect(!run.sink.handlersRun.contains("dci_api : Restart dci-api"))
    #expect(
      !run.host("h1").commands.contains {
        $0.starts(with: ["systemctl", "restart", "--", "dci-api@0.service"])
      })
  }

  /// The JSON output (`-o json`) of recorded events, through a masker that knows no secret:
  /// what it hides, the diff itself hid.
  static func jsonOutput(of events: [Event]) async -> String {
    let text = Mutex("")
    let reporter = JSONReporter(masker: SecretMasker()) { document in
      text.withLock { $0 += document }
    }
    for event in events { await reporter.record(event) }
    return text.withLock { $0 }
  }
}
