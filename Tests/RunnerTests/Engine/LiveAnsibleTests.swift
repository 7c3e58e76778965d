import Connections
import Foundation
import Testing
import Vault

@testable import Engine

/// The real ansible-core 2.19.14 (from PyPI, installed by `scripts/test` into .build-ansible;
/// `RUNNER_ANSIBLE_BIN` names its bin folder), live: files `ansible-vault` encrypts now, with
/// a password made now, decrypt in runner; and `ansible-inventory` and runner resolve the same
/// variables for every host of a project tree, with group_vars and host_vars beside the
/// inventory and beside the playbook.
@Suite(.enabled(if: LiveAnsible.bin != nil, "needs RUNNER_ANSIBLE_BIN (scripts/test sets it)"))
struct LiveAnsibleTests {
  func ansible(_ tool: String, _ arguments: [String]) throws -> String {
    let bin = try #require(LiveAnsible.bin)
    let output = try Spawn.run(
      bin + "/" + tool, arguments,
      environment: ["ANSIBLE_NOCOLOR": "1", "PYTHONWARNINGS": "ignore"])
    try #require(output.status == 0, "\(tool) \(arguments): \(output.stderr)")
    return output.stdout
  }

  @Test func `what ansible-vault encrypts now decrypts in runner`() throws {
    let directory = try TemporaryDirectory()
    let password = UUID().uuidString
    let passwordFile = try directory.write("pass", password + "\n")
    let plain = "db_password: \"p@ss: #1\"\nkey: |\n  line one\n  line two\nport: 5432\n"
    let whole = try directory.write("whole.yml", plain)
    _ = try ansible(
      "ansible-vault", ["encrypt", "--vault-password-file", passwordFile.path, whole.path])
    let labelled = try directory.write("labelled.yml", plain)
    _ = try ansible(
      "ansible-vault", ["encrypt", "--vault-id", "prod@" + passwordFile.path, labelled.path])
    let inline = try ansible(
      "ansible-vault",
      [
        "encrypt_string", "--vault-password-file", passwordFile.path, "s3cr3t value", "--name",
        "token",
      ])
    let inlineFile = try directory.write("inline.yml", inline)
    let expected = try YAMLSubset.parse(plain, file: "plain")
    for (file, label) in [(whole, "default"), (labelled, "prod")] {
      let keys = VaultKeyring(secrets: [
        AnsibleVault.Secret(label: label, password: Array(password.utf8))
      ])
      #expect(try VarsFile.parse(Data(contentsOf: file), file: file.path, vault: keys) == expected)
      #expect(keys.secretValues.contains("p@ss: #1"))
    }
    let keys = VaultKeyring(secrets: [
      AnsibleVault.Secret(label: "default", password: Array(password.utf8))
    ])
    #expect(
      try VarsFile.parse(Data(contentsOf: inlineFile), file: inlineFile.path, vault: keys)
        == .object(["token": .string("s3cr3t value")]))
  }

  @Test func `ansible-inventory and runner resolve the same variables, playbook dir included`()
    throws
  {
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let project = fixtures.appending(path: "ansible/project")
    let playbookDirectory = try TemporaryDirectory()
    try playbookDirectory.write("group_vars/all.yml", "region: from-playbook-dir\nplay_all: 1\n")
    try playbookDirectory.write("group_vars/web.json", #"{"http_port": 9999}"#)
    try playbookDirectory.write("host_vars/db1.yml", "tier: playbook-host\n")
    let printed = try ansible(
      "ansible-inventory",
      [
        "-i", project.appending(path: "hosts").path, "--list", "--vault-password-file",
        project.appending(path: "vault-password").path, "--playbook-dir",
        playbookDirectory.url.path,
      ])
    let hostvars = try #require(
      try JSONValue.parse(Data(printed.utf8)).objectValue?["_meta"]?.objectValue?["hostvars"]?
        .objectValue)
    let keys = VaultKeyring(
      secrets: try VaultKeyring.secrets(
        ids: [], passwordFiles: [project.appending(path: "vault-password").path],
        askPassword: false))
    let inventory = try InventoryLoader.load(
      Data(contentsOf: project.appending(path: "hosts")), file: "hosts",
      vars: VarsDirectories([project.path, playbookDirectory.url.path], vault: keys))
    #expect(Set(hostvars.keys) == Set(inventory.hosts.map(\.name)))
    for host in inventory.hosts {
      let resolved = host.groupVariables.merging(host.hostVariables) { _, new in new }
      #expect(JSONValue.object(resolved) == hostvars[host.name], "host \(host.name)")
    }
  }
}

enum LiveAnsible {
  static var bin: String? {
    ProcessInfo.processInfo.environment["RUNNER_ANSIBLE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
  }
}
