import Foundation
import Testing

/// runner's settings file, found as ansible.cfg is: `$RUNNER_CONFIG`, `./runner.json`,
/// `~/.runner.json`, `/etc/runner/runner.json`; flags beat it.
@Suite struct RunnerConfigTests {
  /// A project whose inventory, extra vars and vault password only the settings file names.
  func project() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    try directory.write("inventory/hosts", "[web]\nlocalhost ansible_connection=local\n")
    try directory.write("vars/extra.yml", "word: from-config\nother: config\n")
    try directory.write("secret/pass", "vault-Test-pw\n")
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    try directory.write(
      "inventory/group_vars/web.yml",
      try String(
        contentsOf: fixtures.appending(path: "ansible/vault/web-vault.yml"), encoding: .utf8))
    try directory.write(
      "runner.json",
      """
      {"inventory": "inventory/hosts", "extra_vars": ["@vars/extra.yml"],
       "vault_password_file": "secret/pass", "forks": 3}
      """)
    try directory.write(
      "play.json",
      """
      [{"name": "configured", "hosts": "web", "gather_facts": false, "tasks": [
        {"name": "say", "debug": {"msg": "{{ word }} {{ other }} {{ vault_word }}"}}]}]
      """)
    return directory
  }

  @Test func `the file named by RUNNER_CONFIG sets what the command line leaves out`() throws {
    let directory = try project()
    let path = directory.url.path
    let result = try RunnerProcess.run(
      ["-v", path + "/play.json"], environment: ["RUNNER_CONFIG": path + "/runner.json"])
    #expect(result.status == 0, "\(result.all)")
    #expect(
      result.stdout.hasPrefix("Using \(path)/runner.json as config file\n"), "\(result.stdout)")
    #expect(result.stdout.contains("from-config config ********"), "\(result.stdout)")
    // a flag beats the file: -e over its extra vars, -i over its inventory
    let flags = try RunnerProcess.run(
      ["-e", "word=from-flag", "-i", path + "/inventory/other", path + "/play.json"],
      environment: ["RUNNER_CONFIG": path + "/runner.json"])
    #expect(flags.status == 1)
    #expect(
      flags.stderr.contains(path + "/inventory/other: error: the inventory file does not exist"))
    try directory.write("inventory/other", "[web]\nlocalhost ansible_connection=local\n")
    let again = try RunnerProcess.run(
      ["-e", "word=from-flag", "-i", path + "/inventory/other", path + "/play.json"],
      environment: ["RUNNER_CONFIG": path + "/runner.json"])
    #expect(again.stdout.contains("from-flag config"), "\(again.all)")
  }

  @Test func `./runner.json is found in the working directory`() throws {
    let directory = try project()
    let output = try Spawn.run(
      "/bin/sh",
      [
        "-c", "cd \"$1\" && exec \"$2\" -v play.json", "sh", directory.url.path,
        RunnerProcess.executable.path,
      ],
      environment: ["RUNNER_CONFIG": ""])
    #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
    #expect(output.stdout.contains("Using \(directory.url.path)/runner.json as config file"))
    #expect(output.stdout.contains("from-config config"))
  }

  @Test(arguments: [
    (
      #"{"inventroy": "hosts"}"#, "$.inventroy: error: unknown setting key 'inventroy'",
      "did you mean 'inventory'"
    ),
    (#"{"forks": "ten"}"#, "$.forks: error: expected an integer, found a string", ""),
    (#"{"become": "yes"}"#, "$.become: error: expected a boolean", ""),
    (#"[1]"#, "error: expected runner's settings as an object", ""),
    (#"{"forks": 2,"#, "error: invalid JSON", ""),
  ])
  func `a bad settings file is an error naming the file and key`(
    text: String, message: String, hint: String
  ) throws {
    let directory = try TemporaryDirectory()
    let config = try directory.write("runner.json", text)
    let play = try directory.write(
      "p.json", #"[{"name": "p", "hosts": "localhost", "gather_facts": false, "tasks": []}]"#)
    let result = try RunnerProcess.run([play.path], environment: ["RUNNER_CONFIG": config.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains(config.path), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(hint.isEmpty || result.stderr.contains(hint), "\(result.stderr)")
    let missing = try RunnerProcess.run(
      [play.path], environment: ["RUNNER_CONFIG": directory.url.path + "/nope.json"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("RUNNER_CONFIG names a file that does not exist"))
  }
}
