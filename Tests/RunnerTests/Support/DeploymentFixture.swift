import Foundation
import Testing

/// A deployment of `playbooks/dci_api.json` onto booted test hosts through the real `runner`
/// binary: the inventory points the role's images at the DCI server stand-in
/// `scripts/testhost images` builds inside each host (the real image's contract, on real
/// gunicorn), the backup command at a marker file, and `-e @testhost.json` the database,
/// Redis and SSO settings at what each host runs (PostgreSQL and Redis on the host itself).
struct DeploymentFixture: Sendable {
  let hosts: [String]
  let directory: TemporaryDirectory
  let inventory: URL
  let secrets: URL
  /// The test hosts' services, as extra variables (they beat the playbook's example hosts).
  let services: URL
  /// Values the secrets file holds; none may ever appear in output. The SSO key is a real
  /// 2048-bit RSA public key in PEM, made by `openssl` for this test run.
  static let secretValues = [
    "vault_db_password": "db-Secr3t-value",
    "vault_s3_access_key": "AKIA-runner-test",
    "vault_s3_secret_key": "s3-Secr3t-value",
    "vault_sso_public_key": publicKey,
    "vault_rhdl_access_key": "rhdl-access-test",
    "vault_rhdl_secret_key": "rhdl-Secr3t-value",
  ]
  static let publicKey = makePublicKey()

  /// The services every test host runs for the API: its own PostgreSQL (role and database
  /// `dci`, the fixture's password) and Redis, reached from the containers as
  /// `host.containers.internal`; an SSO URL that refuses at once, so the image's entrypoint
  /// does not wait on a name lookup before it gives up fetching the realm key.
  static let serviceValues: [String: String] = [
    "dbhost": "host.containers.internal", "dbuser": "dci", "dbname": "dci",
    "dci_redis_url": "redis://host.containers.internal:6379/0",
    "sso_url": "http://127.0.0.1:9",
  ]

  /// A new RSA key's public half in PEM (`-----BEGIN PUBLIC KEY-----`, 9 lines).
  static func makePublicKey() -> String {
    do {
      let directory = try TemporaryDirectory()
      let key = directory.url.appendingPathComponent("key.pem").path
      let made = try Spawn.run(
        "/usr/bin/openssl",
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key])
      let pem = try Spawn.run("/usr/bin/openssl", ["pkey", "-in", key, "-pubout"])
      guard made.status == 0, pem.status == 0, pem.stdout.hasPrefix("-----BEGIN PUBLIC KEY")
      else {
        Issue.record("openssl made no key: \(made.stderr) \(pem.stderr)")
        return "openssl-made-no-key"
      }
      return pem.stdout
    } catch {
      Issue.record("openssl: \(error)")
      return "openssl-made-no-key"
    }
  }

  /// Boots fresh hosts (auth tracking on the first only), builds their images, writes files.
  init(
    hosts: [String], extraGroupVars: [String: String] = [:],
    hostVars: [String: [String: String]] = [:]
  ) throws {
    self.hosts = hosts
    BootedHosts.clean(hosts)
    _ = try BootedHosts.up(hosts)
    let password = ["TESTHOST_DB_PASSWORD": Self.secretValues["vault_db_password"] ?? ""]
    for host in hosts { try BootedHosts.run(["images", host], environment: password) }
    directory = try TemporaryDirectory()
    let raw = try BootedHosts.run(["inventory"] + hosts)
    guard var top = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any],
      var hostEntries = top["hosts"] as? [String: Any]
    else { throw BootedHosts.ToolFailed(arguments: ["inventory"], status: 0, output: raw) }
    for (index, name) in hosts.enumerated() {
      var entry = hostEntries[name] as? [String: Any] ?? [:]
      var vars: [String: Any] = ["dci_api_auth_tracking_enabled": index == 0]
      for (key, value) in hostVars[name] ?? [:] { vars[key] = value }
      entry["vars"] = vars
      hostEntries[name] = entry
    }
    top["hosts"] = hostEntries
    var groupVars: [String: String] = [
      "dci_api_container_image": "localhost/dci-control-server:latest",
      "dci_api_auth_tracking_container_image": "localhost:5000/dci-control-server:latest",
      "haproxy_container_image": "localhost/haproxy:latest",
      "dci_api_backup_command": "touch /var/tmp/dci-api-backup-marker",
    ]
    groupVars.merge(extraGroupVars) { _, new in new }
    top["groups"] = ["dci_api_servers": ["hosts": hosts, "vars": groupVars]]
    inventory = try directory.write(
      "inventory.json",
      String(
        decoding: try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys]),
        as: UTF8.self))
    secrets = try directory.write(
      "secrets.json",
      String(
        decoding: try JSONSerialization.data(
          withJSONObject: Self.secretValues, options: [.sortedKeys]), as: UTF8.self))
    services = try directory.write(
      "testhost.json",
      String(
        decoding: try JSONSerialization.data(
          withJSONObject: Self.serviceValues, options: [.sortedKeys]), as: UTF8.self))
  }

  /// Rotates the password of PostgreSQL's `dci` role on the hosts (as a DBA would before the
  /// deploy that hands the API the new one): `testhost images` again, the password on stdin.
  func setDatabasePassword(_ password: String) throws {
    for host in hosts {
      try BootedHosts.run(["images", host], environment: ["TESTHOST_DB_PASSWORD": password])
    }
  }

  /// `-e` for the secrets and the test hosts' services, before a test's own arguments.
  var extraVars: [String] { ["-e", "@\(secrets.path)", "-e", "@\(services.path)"] }

  /// A copy of the inventory with extra variables for some hosts (e.g. a fault on one host).
  func inventory(overriding hostVars: [String: [String: Any]]) throws -> URL {
    let data = try Data(contentsOf: inventory)
    guard var top = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      var entries = top["hosts"] as? [String: Any]
    else { return inventory }
    for (host, overrides) in hostVars {
      var entry = entries[host] as? [String: Any] ?? [:]
      var vars = entry["vars"] as? [String: Any] ?? [:]
      vars.merge(overrides) { _, new in new }
      entry["vars"] = vars
      entries[host] = entry
    }
    top["hosts"] = entries
    return try directory.write(
      "inventory-\(UUID().uuidString).json",
      String(
        decoding: try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys]),
        as: UTF8.self))
  }

  /// Runs `runner` with an inventory file, the fixture's secrets and `arguments`; checks
  /// that no secret reached the output.
  func deploy(inventory other: URL, _ arguments: [String] = []) throws -> RunnerProcess.Result {
    let result = try RunnerProcess.run(
      ["-i", other.path] + extraVars + arguments + [Self.playbook])
    for secret in Self.secretValues.values {
      #expect(!result.all.contains(secret), "a secret value reached the output")
    }
    // RUNNER_TRANSCRIPTS=DIR keeps every run's console output, for a reader (e.g. a report).
    if let folder = ProcessInfo.processInfo.environment["RUNNER_TRANSCRIPTS"] {
      let stamp = Int(Date().timeIntervalSince1970 * 1000)
      let name = "\(hosts.joined(separator: "-"))-\(stamp).txt"
      let command = "$ runner \(arguments.joined(separator: " "))  # exit \(result.status)\n"
      let text = command + result.all
      try? text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }
    return result
  }

  static var playbook: String {
    BootedHosts.repository.appendingPathComponent("playbooks/dci_api.json").path
  }

  /// Runs `runner` with the fixture's inventory and secrets plus `arguments`.
  func deploy(_ arguments: [String] = []) throws -> RunnerProcess.Result {
    try deploy(inventory: inventory, arguments)
  }

  /// Starts `runner` with the fixture's inventory and secrets in the background, so a test
  /// can act on the hosts (or on the runner) while it runs.
  /// `ownProcessGroup`: as a terminal starts it, so `kill(-pid, …)` is a terminal's Ctrl-C.
  func start(_ arguments: [String], ownProcessGroup: Bool = false) throws -> Spawn.Running {
    try Spawn.start(
      RunnerProcess.executable.path,
      ["-i", inventory.path] + extraVars + arguments + [Self.playbook],
      ownProcessGroup: ownProcessGroup)
  }

  /// Whether every unit started after the file was last written: it runs what the file says.
  func started(_ units: [String], after path: String, on host: String) throws -> Bool {
    let written = try exec(host, ["stat", "-c", "%Y", path])
    let starts = try exec(
      host,
      ["systemctl", "show", "--property=ActiveEnterTimestamp", "--value", "--timestamp=unix"]
        + units)
    let writtenAt = Double(written.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .infinity
    let times = starts.split(separator: "\n").compactMap { Double($0.dropFirst()) }
    return times.count == units.count && times.allSatisfy { $0 >= writtenAt }
  }

  func exec(_ host: String, _ arguments: [String]) throws -> String {
    try BootedHosts.exec(host, arguments)
  }

  /// `ActiveEnterTimestampMonotonic` of units: changes exactly when a unit (re)started.
  func startTimes(_ host: String, _ units: [String]) throws -> [String: String] {
    let output = try exec(
      host, ["systemctl", "show", "--property=Id,ActiveEnterTimestampMonotonic", "--"] + units)
    var times: [String: String] = [:]
    var id = ""
    for line in output.split(separator: "\n") {
      if line.hasPrefix("Id=") { id = String(line.dropFirst(3)) }
      if line.hasPrefix("ActiveEnterTimestampMonotonic=") {
        times[id] = String(line.dropFirst("ActiveEnterTimestampMonotonic=".count))
      }
    }
    return times
  }

  /// sha256 and mode of files, to prove nothing changed.
  func fingerprint(_ host: String, _ paths: [String]) throws -> String {
    try exec(
      host,
      ["sh", "-c", "for f; do stat -c '%n %a %U' \"$f\"; sha256sum \"$f\"; done", "sh"] + paths)
  }

  /// Recap counters of a host from console output.
  static func recap(_ output: String, host: String) -> [String: Int] {
    guard
      let line = output.split(separator: "\n").first(where: {
        $0.hasPrefix(host + " ") && $0.contains(" : ok=")
      })
    else {
      Issue.record("no recap line for '\(host)' in the output:\n\(output)")
      return [:]
    }
    var counters: [String: Int] = [:]
    for field in line.split(separator: " ") where field.contains("=") {
      let parts = field.split(separator: "=")
      if parts.count == 2, let value = Int(parts[1]) { counters[String(parts[0])] = value }
    }
    return counters
  }

  /// Banner names of the handlers that ran, in order.
  static func handlers(_ output: String) -> [String] {
    output.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("RUNNING HANDLER [") else { return nil }
      return String(line.dropFirst("RUNNING HANDLER [".count).prefix { $0 != "]" })
    }
  }
}
