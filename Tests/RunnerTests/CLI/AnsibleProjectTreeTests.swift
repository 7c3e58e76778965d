import Foundation
import Testing

/// The runner executable on an operator's Ansible tree as it is: an INI inventory, group_vars
/// in YAML beside it with a vault file made by the real ansible-vault, `-e @file.yml`, and
/// `--vault-password-file`; vault values masked in everything printed.
@Suite struct AnsibleProjectTreeTests {
  func tree() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let vault = fixtures.appending(path: "ansible/vault")
    try directory.write("hosts", "[web]\nlocalhost ansible_connection=local\n")
    try directory.write(
      "group_vars/web/vars.yml", "greeting: \"hello {{ vault_word }}\"\nport: 0o17\n")
    try directory.write(
      "group_vars/web/vault.yml",
      try String(contentsOf: vault.appending(path: "web-vault.yml"), encoding: .utf8))
    try directory.write("password", "vault-Test-pw\n")
    try directory.write("extra.yml", "from_extra: [a, b]\n")
    try directory.write(
      "play.json",
      """
      [{"name": "tree", "hosts": "web", "gather_facts": false, "tasks": [
        {"name": "say", "debug": {"msg": "{{ greeting }} {{ port }} {{ from_extra | length }}"}}
      ]}]
      """)
    return directory
  }

  @Test func `runs with the tree's variables, vault values masked`() throws {
    let directory = try tree()
    let path = directory.url.path
    let result = try RunnerProcess.run([
      "-i", path + "/hosts", "--vault-password-file", path + "/password", "-e",
      "@" + path + "/extra.yml", path + "/play.json",
    ])
    #expect(result.status == 0, "\(result.all)")
    #expect(result.stdout.contains("hello ******** 0o17 2"), "\(result.stdout)")
    #expect(!result.all.contains("Secr3tWord"))
  }

  @Test func `a wrong vault password is one error before anything runs`() throws {
    let directory = try tree()
    let path = directory.url.path
    try directory.write("wrong", "nope\n")
    let result = try RunnerProcess.run([
      "-i", path + "/hosts", "--vault-password-file", path + "/wrong", path + "/play.json",
    ])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "group_vars/web/vault.yml:1: error: cannot decrypt: the vault password is wrong"),
      "\(result.stderr)")
    #expect(!result.stdout.contains("TASK"))
    let missing = try RunnerProcess.run(["-i", path + "/hosts", path + "/play.json"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no vault password was given"), "\(missing.stderr)")
  }
}

/// `--syntax-check` judges the playbook, not the inventory (as ansible-playbook does).
@Suite struct SyntaxCheckHostPatternTests {
  @Test func `a pattern matching no host warns in --syntax-check and stops a real run`() throws {
    let directory = try TemporaryDirectory()
    let play = try directory.write(
      "p.json", #"[{"name": "p", "hosts": "dci_api_servers", "gather_facts": false, "tasks": []}]"#)
    let check = try RunnerProcess.run(["--syntax-check", play.path])
    #expect(check.status == 0, "\(check.all)")
    #expect(
      check.stderr.contains(
        "[WARNING]: play 'p': hosts pattern names unknown host or group 'dci_api_servers'"))
    let run = try RunnerProcess.run([play.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("error: play 'p': hosts pattern names unknown host or group"))
  }
}

/// A play's `vars_files`: JSON or YAML, a vault among them, over the play's `vars`.
@Suite struct PlayVarsFilesTests {
  @Test func `vars_files are read beside the playbook, above the play's vars`() throws {
    let directory = try TemporaryDirectory()
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    try directory.write("vars/play.yml", "word: from-file\nlist: [1, 2, 3]\n")
    try directory.write(
      "vars/vault.yml",
      try String(
        contentsOf: fixtures.appending(path: "ansible/vault/web-vault.yml"), encoding: .utf8))
    try directory.write("pass", "vault-Test-pw\n")
    let play = try directory.write(
      "play.json",
      """
      [{"name": "files", "hosts": "localhost", "gather_facts": false,
        "vars": {"word": "from-vars", "kept": "vars"},
        "vars_files": ["vars/play.yml", "vars/vault.yml"],
        "tasks": [{"name": "say",
          "debug": {"msg": "{{ word }} {{ kept }} {{ list | length }} {{ vault_word }}"}}]}]
      """)
    let result = try RunnerProcess.run([
      "--vault-password-file", directory.url.path + "/pass", play.path,
    ])
    #expect(result.status == 0, "\(result.all)")
    #expect(result.stdout.contains("from-file vars 3 ********"), "\(result.stdout)")
    #expect(!result.all.contains("Secr3tWord"))
    try directory.write(
      "bad.json",
      #"[{"name": "b", "hosts": "localhost", "vars_files": ["nope.yml"], "tasks": []}]"#)
    let bad = try RunnerProcess.run([directory.url.path + "/bad.json"])
    #expect(bad.status == 1)
    #expect(
      bad.stderr.contains(
        "$[0].vars_files[0]: error: vars file '\(directory.url.path)/nope.yml' does not exist"),
      "\(bad.stderr)")
  }
}
