import Engine
import Foundation
import Testing

@testable import Connections

#if canImport(Glibc)
  import Glibc
#endif

/// Secrets never leak: `playbooks/dci_api.json` run with `-e @secrets.json` in every mode that
/// prints values (normal, `--check --diff`, `-vvv`, `-o json`, listings, validation errors,
/// a failing step whose command line holds the secrets); stdout and stderr must hold none of
/// the secret values, in any form. And files holding secrets have their final mode before a
/// byte of content is written.
///
/// On a local host the role itself cannot get past HAProxy's start (no systemd here), so the
/// playbook's `pre_tasks` put the secrets where output shows values — a rendered file's diff,
/// a command's stdout, a failing command's argv and stderr — and the failing one stops the
/// host before the role could touch this machine. The role's own environment file is covered
/// on a booted host (`SecretLeakBootedTests`).
@Suite struct SecretLeakTests {
  /// The role's secret variables get these (quotes, a backslash, blanks, non-ASCII included).
  static let secrets = [
    "vault_db_password": #"db-"Leak'\Secr3t"#,
    "vault_s3_secret_key": "s3 Leak Secr3t with blanks",
    "vault_sso_public_key": "MIIBIjANBgkqhkiG9w0BAQEFAAOCLeakSecr3t",
    "vault_rhdl_secret_key": "rhdl-Leak-Secr3t-🔑-é",
  ]
  /// Not secret in the role (access key ids), but needed by the playbook.
  static let others = [
    "vault_s3_access_key": "AKIA-leak-test", "vault_rhdl_access_key": "rhdl-access-leak",
  ]

  static let secretReferences = [
    "{{ dbpassword }}", "{{ store_s3_aws_secret_access_key }}", "{{ sso_public_key }}",
    "{{ rhdl_service_account_secret_key }}",
  ]

  static let exposingSteps: JSONValue = [
    [
      "name": "Write the secrets to a file",
      "template": [
        "content": .string(secretReferences.map { "secret=\($0)\n" }.joined()),
        "dest": "@OUT@/secrets.txt", "mode": "0600",
      ],
    ],
    [
      "name": "Print the secrets", "check_mode": false,
      "command": ["argv": .array((["printf", "%s\\n"] + secretReferences).map(JSONValue.string))],
    ],
    [
      "name": "Fail with the secrets on the command line", "check_mode": false,
      "command": [
        "argv": .array(
          (["sh", "-c", "printf '%s\\n' \"$@\" >&2; exit 3", "sh"] + secretReferences)
            .map(JSONValue.string))
      ],
    ],
  ]

  struct Mode: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var arguments: [String]
    var status: Int32
    /// Whether the output must show masked values (the secrets were there to hide).
    var masks: Bool
  }

  static let modes = [
    Mode(testDescription: "normal", arguments: [], status: 2, masks: true),
    Mode(
      testDescription: "--check --diff", arguments: ["--check", "--diff"], status: 2, masks: true),
    Mode(testDescription: "-vvv", arguments: ["-vvv"], status: 2, masks: true),
    Mode(
      testDescription: "--check --diff -vvv", arguments: ["--check", "--diff", "-vvv"], status: 2,
      masks: true),
    Mode(testDescription: "-o json", arguments: ["-o", "json"], status: 2, masks: true),
    Mode(
      testDescription: "-o json --check --diff", arguments: ["-o", "json", "--check", "--diff"],
      status: 2, masks: true),
    Mode(testDescription: "--list-tasks", arguments: ["--list-tasks"], status: 0, masks: false),
    Mode(testDescription: "--syntax-check", arguments: ["--syntax-check"], status: 0, masks: false),
  ]

  /// Every form a secret could take in output: as is, JSON-escaped, each line on its own.
  static func forms(of secret: String) -> [String] {
    var forms = [secret, String(JSONValue.quote(secret).dropFirst().dropLast())]
    let lines = secret.split(separator: "\n").map(String.init)
    if lines.count > 1 { forms += lines.filter { $0.count >= 4 } }
    return forms
  }

  static func expectNoLeak(
    _ result: RunnerProcess.Result, of secrets: [String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    for secret in secrets {
      for form in forms(of: secret) {
        #expect(
          !result.stdout.contains(form), "'\(form)' reached stdout", sourceLocation: sourceLocation)
        #expect(
          !result.stderr.contains(form), "'\(form)' reached stderr", sourceLocation: sourceLocation)
      }
    }
  }

  /// A target holding the playbook (exposing steps first), a local inventory and the secrets.
  static func target(secrets: [String: String] = secrets) throws -> BatteryTarget {
    let target = try BatteryTarget()
    let values = secrets.merging(others) { own, _ in own }.mapValues(JSONValue.string)
    try target.write([
      "site.json": .dciAPI(DCIAPIPlaybook(preSteps: exposingSteps)),
      "inventory.json": .text(BadInput.inventory),
      "secrets.json": .text(JSONValue.object(values).compactJSON),
    ])
    return target
  }

  static let arguments = ["-i", "@DIR@/inventory.json", "-e", "@@DIR@/secrets.json"]

  @Test(arguments: modes)
  func `no secret reaches the output`(mode: Mode) throws {
    let target = try Self.target()
    let result = try target.run(Self.arguments + mode.arguments + ["@DIR@/site.json"])
    #expect(result.status == mode.status, "\(result.all)")
    Self.expectNoLeak(result, of: Array(Self.secrets.values))
    if mode.masks {
      #expect(result.stdout.contains(SecretMasker.placeholder))
      #expect(result.stdout.contains("Fail with the secrets on the command line"))
    }
    if mode.arguments.contains("--diff") && !mode.arguments.contains("json") {
      #expect(result.stdout.contains("+secret=\(SecretMasker.placeholder)\n"))
    }
    if mode.arguments.isEmpty {
      // The values did flow: the file holds them, owner-only.
      let written = try String(contentsOfFile: target.out + "/secrets.txt", encoding: .utf8)
      #expect(written.contains(Self.secrets["vault_db_password"] ?? "?"))
      #expect(try LocalTree.mode(of: target.out + "/secrets.txt") == 0o600)
    }
  }

  /// Values the role refuses, and a reference it cannot resolve: the error names the variable,
  /// never its value (nor a line or a part of it).
  @Test(arguments: [
    (
      "vault_db_password",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BLeak\nAQABLeakSecondLine\n-----END PUBLIC KEY-----",
      "dbpassword: error: role 'dci_api' variables: contains a line break"
    ),
    (
      "vault_db_password", "Leak\u{1}Secr3t",
      "dbpassword: error: role 'dci_api' variables: contains a control character"
    ),
    (
      "vault_db_password", "Leak{{ Secr3t }}",
      "in the value of 'vault_db_password': a '{{ }}' reference in the value names an undefined variable"
    ),
    (
      "vault_rhdl_secret_key", "Leak{{ Secr3t! }}",
      "in the value of 'vault_rhdl_secret_key': a '{{ }}' in the value is not a '{{ name }}' reference"
    ),
    (
      "vault_s3_secret_key", "Leak-{{",
      "in the value of 'vault_s3_secret_key': unterminated '{{' at line 1, column 6"
    ),
  ])
  func `a refused secret is named, not shown`(variable: String, value: String, message: String)
    throws
  {
    var secrets = Self.secrets
    secrets[variable] = value
    let target = try Self.target(secrets: secrets)
    for mode in [[], ["--check", "--diff", "-vvv"], ["-o", "json"]] {
      let result = try target.run(Self.arguments + mode + ["@DIR@/site.json"])
      #expect(result.status == 1)
      #expect(result.stderr.contains(message), "\(result.stderr)")
      Self.expectNoLeak(result, of: Array(secrets.values) + ["Secr3t"])
      #expect(!result.stdout.contains("PLAY ["))
    }
  }

  /// A secret's value given to a variable the role does not call secret (an image name, whose
  /// check quotes what it found): the error still names the variable, not the value.
  @Test func `a secret flowing into a non-secret variable is not quoted by its error`() throws {
    let target = try Self.target()
    let image = #"{"dci_api_container_image": "{{ vault_s3_secret_key }}"}"#
    for mode in [[], ["-o", "json"]] {
      let result = try target.run(Self.arguments + ["-e", image] + mode + ["@DIR@/site.json"])
      #expect(result.status == 1)
      #expect(
        result.stderr.contains(
          "-e: $.dci_api_container_image: error: role 'dci_api' variables: expected an image "
            + #"reference (no blanks or control characters, not starting with '-'), found ""#
            + SecretMasker.placeholder + #"""#),
        "\(result.stderr)")
      Self.expectNoLeak(result, of: Array(Self.secrets.values))
    }
  }

  /// The same through a step's argument, which validation checks and quotes.
  @Test func `a secret in a step's refused argument is not quoted`() throws {
    let target = try Self.target()
    try target.write([
      "site.json": .text(
        #"[{"hosts": "h1", "vars": {"dbpassword": "{{ vault_db_password }}"}, "tasks": [{"#
          + #""template": {"content": "x", "dest": "{{ vault_db_password }}"}}]}]"#)
    ])
    let result = try target.run(Self.arguments + ["@DIR@/site.json"])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "$[0].tasks[0].template.dest: error: template: expected an absolute path, found '"
          + SecretMasker.placeholder + "'"),
      "\(result.stderr)")
    Self.expectNoLeak(result, of: Array(Self.secrets.values))
  }

  @Test func `a secret split by a blank in -e key=value is not echoed`() throws {
    let target = try Self.target()
    let result = try target.run(
      Self.arguments + ["-e", "dbpassword=Leak Secr3tTail", "@DIR@/site.json"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("a word without '=' after 'dbpassword=…'"))
    #expect(!result.all.contains("Secr3tTail"))
  }

  // MARK: Files holding secrets

  /// `LocalConnection.write` (in process, no shell): a watcher thread stats the temp files of
  /// the directory while large files are written. A temp file holding content must have the
  /// final mode; an empty one may still be owner-only (it is created 0600, then given the
  /// final mode before the first byte), never more open than the final mode. Writes repeat
  /// until the watcher caught content.
  @Test(arguments: [0o600, 0o640] as [UInt16])
  func `a local write never shows its content under another mode`(mode: UInt16) async throws {
    let directory = try TemporaryDirectory()
    let contents = Data(repeating: 0x73, count: 32 * 1024 * 1024)
    var sightings: [TempFileWatcher.Sighting] = []
    for attempt in 0..<20 where !sightings.contains(where: { $0.size > 0 }) {
      let watcher = TempFileWatcher(directory: directory.url.path)
      watcher.start()
      try await LocalConnection().write(
        FileWrite(contents, to: HostPath(directory.path("secret-\(attempt)")), mode: FileMode(mode))
      )
      sightings += watcher.stop()
    }
    #expect(sightings.contains { $0.size > 0 }, "the watcher never caught a temp file")
    let modes = Set(sightings.map { String($0.mode, radix: 8) + ($0.size > 0 ? "+" : "") })
    #expect(sightings.allSatisfy { $0.size == 0 || $0.mode == Int(mode) }, "\(modes)")
    #expect(sightings.allSatisfy { $0.mode & ~Int(mode) == 0 }, "\(modes)")
    #expect(try LocalTree.names(in: directory.url.path).allSatisfy { $0.hasPrefix("secret-") })
  }

  /// The script ssh and `become` hosts write with (`FileWriteScript`), run here with a `cat`
  /// on `PATH` that records the mode and size of its output file — the temp file — at the
  /// moment content starts to flow: deterministic, no race to win. (The shim duplicates its
  /// stdout to fd 3 before redirecting: dash applies a command's redirection in the shell
  /// itself, so `/proc/$$/fd/1` would name the log.)
  @Test(arguments: [0o600, 0o640, 0o644] as [UInt16])
  func `the write script sets the final mode before any byte`(mode: UInt16) async throws {
    let directory = try TemporaryDirectory()
    let log = directory.path("cat.log")
    let shim = """
      #!/bin/sh
      stat -L -c '%a %s' /proc/self/fd/3 3>&1 >>'\(log)'
      exec /bin/cat "$@"
      """
    // Written by a child process: a file this process had open for writing could be held
    // by a concurrent test's fork, and exec'ing it would fail with ETXTBSY.
    let made = try Spawn.run(
      "/bin/sh",
      [
        "-c", #"mkdir "$1" && printf '%s\n' "$2" >"$1/cat" && chmod 755 "$1/cat""#, "sh",
        directory.path("bin"), shim,
      ])
    #expect(made.status == 0, "\(made.stderr)")
    try FileManager.default.createDirectory(
      atPath: directory.path("target"), withIntermediateDirectories: true)
    let host = ScriptedHost(channel: ShimmedChannel(path: directory.path("bin")))
    let path = HostPath(directory.path("target/secret.env"))
    try await host.write(FileWrite(Data("TOKEN=s3cr3t\n".utf8), to: path, mode: FileMode(mode)))
    let seen = try String(contentsOfFile: log, encoding: .utf8)
    #expect(seen == String(mode, radix: 8) + " 0\n", "cat saw: \(seen)")
    #expect(try String(contentsOfFile: path.rawValue, encoding: .utf8) == "TOKEN=s3cr3t\n")
    #expect(try LocalTree.mode(of: path.rawValue) == Int(mode))
  }

  /// Runs argv here with a directory first on `PATH`, as sshd would run it on a host.
  struct ShimmedChannel: ArgvChannel {
    let path: String
    func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
      let inherited = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
      return try await ProcessRunner().run(
        arguments, input: input, environment: ["PATH": path + ":" + inherited])
    }
    func hold(_ arguments: [String]) throws -> HeldProcess { try HeldProcess(arguments) }
    let counter = RoundTripCounter()
  }
}
