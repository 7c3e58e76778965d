import Foundation
import Testing

/// The `runner` executable end to end: flags, exit codes, and errors before anything runs.
@Suite struct CommandLineTests {
  @Test func `version and help exit 0`() throws {
    let version = try RunnerProcess.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.hasPrefix("runner "))
    let help = try RunnerProcess.run(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--check"))
  }

  @Test(arguments: [
    ["--bogus", "x.json"], ["--forks", "0", "x.json"], [], ["a.json", "b.json"], ["-i"],
  ])
  func `a bad option exits 5`(arguments: [String]) throws {
    let result = try RunnerProcess.run(arguments)
    #expect(result.status == 5)
    #expect(result.stderr.contains("usage: runner"))
  }

  @Test func `a playbook with errors exits 1, lists every problem, and runs nothing`() throws {
    let dir = try TemporaryDirectory()
    let playbook = try dir.write(
      "site.json",
      #"[{"name": "p", "hosts": "all", "tasks": [{"name": "a", "nosuchmodule": {}}, {"name": "b", "meta": "nope", "colour": 1}], "bogus": true}, {"name": "no hosts"}]"#
    )
    let result = try RunnerProcess.run([playbook.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("nothing was changed"))
    #expect(
      result.stderr.contains(
        "$[0].tasks[0].nosuchmodule: error: unknown module or task keyword 'nosuchmodule'"))
    #expect(result.stderr.contains("$[0].bogus: error: unknown play key 'bogus'"))
    #expect(result.stderr.contains("$[1]: error: a play needs 'hosts'"))
    #expect(
      result.stderr.contains("$[0].tasks[1].meta: error: unknown meta action 'nope'"))
    #expect(!result.stdout.contains("PLAY ["))
  }

  @Test(arguments: ["", "   \n", "[1, 2", "{\"a\": 1}"])
  func `an empty, broken or wrongly shaped playbook exits 1`(text: String) throws {
    let dir = try TemporaryDirectory()
    let playbook = try dir.write("site.json", text)
    let result = try RunnerProcess.run([playbook.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("site.json"))
  }

  @Test func `a directory or a missing file is refused`() throws {
    let dir = try TemporaryDirectory()
    let directory = try RunnerProcess.run([dir.url.path])
    #expect(directory.status == 1)
    #expect(directory.stderr.contains("is a directory"))
    let missing = try RunnerProcess.run([dir.path("missing.json")])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("does not exist"))
  }

  @Test func `extra vars errors are reported with the playbook's`() throws {
    let dir = try TemporaryDirectory()
    let playbook = try dir.write("site.json", #"[{"hosts": "all", "tasks": []}]"#)
    let result = try RunnerProcess.run([
      playbook.path, "-e", "=oops", "-e", "@\(dir.path("nope.json"))",
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("expected key=value"))
    #expect(result.stderr.contains("nope.json"))
  }

  @Test func `syntax check and listings validate then print`() throws {
    let dir = try TemporaryDirectory()
    let inventory = try dir.write(
      "inventory.json",
      #"{"hosts": {"web2": {"connection": "local"}, "web10": {"connection": "local"}}, "groups": {"web": {"hosts": ["web10", "web2"]}}}"#
    )
    let playbook = try dir.write(
      "site.json",
      #"[{"name": "Site", "hosts": "web", "tasks": [{"name": "flush now", "meta": "flush_handlers"}]}]"#
    )
    let syntax = try RunnerProcess.run(["--syntax-check", "-i", inventory.path, playbook.path])
    #expect(syntax.status == 0)
    #expect(syntax.stdout.contains("playbook: \(playbook.path)"))
    let hosts = try RunnerProcess.run(["--list-hosts", "-i", inventory.path, playbook.path])
    #expect(hosts.stdout.contains("    hosts (2):\n      web2\n      web10\n"))
    let tasks = try RunnerProcess.run(["--list-tasks", "-i", inventory.path, playbook.path])
    #expect(tasks.stdout.contains("      flush now\tTAGS: []"))
  }

  @Test(arguments: ["--syntax-check", "--list-hosts", "--list-tasks"])
  func `syntax check and listings print the play-wide warnings`(mode: String) throws {
    let dir = try TemporaryDirectory()
    let inventory = try dir.write(
      "inventory.json",
      #"{"hosts": {"api1": {"connection": "local"}, "api2": {"connection": "local"}}, "groups": {"dci_api_servers": {"hosts": ["api1", "api2"], "vars": {"dci_api_auth_tracking_enabled": true}}}}"#
    )
    let secrets = try dir.write("secrets.json", BadInput.secrets)
    let playbook = DCIAPIPlaybook.repository.appendingPathComponent("playbooks/dci_api.json")
    let result = try RunnerProcess.run([
      mode, "-i", inventory.path, "-e", "@\(secrets.path)", playbook.path,
    ])
    #expect(result.status == 0, "\(result.all)")
    #expect(
      result.stderr
        == "[WARNING]: dci_api_auth_tracking_enabled is true on 2 hosts (api1, api2); "
        + "the auth tracking sidecar should run on one host only\n")
    #expect(result.stdout.contains("playbook: \(playbook.path)"))
    #expect(!result.stdout.contains("WARNING"))
  }

  @Test func `an unknown host pattern is an error before running`() throws {
    let dir = try TemporaryDirectory()
    let inventory = try dir.write(
      "inventory.json", #"{"hosts": {"web1": {"connection": "local"}}}"#)
    let playbook = try dir.write("site.json", #"[{"hosts": "webb", "tasks": []}]"#)
    let result = try RunnerProcess.run(["-i", inventory.path, playbook.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("unknown host or group 'webb'"))
  }

  @Test func `inventory errors are all reported`() throws {
    let dir = try TemporaryDirectory()
    let inventory = try dir.write(
      "inventory.json",
      #"{"hosts": {"a": {"port": 99999, "adress": "x"}}, "groups": {"g": {"hosts": ["b"]}}}"#)
    let playbook = try dir.write("site.json", #"[{"hosts": "all", "tasks": []}]"#)
    let result = try RunnerProcess.run(["-i", inventory.path, playbook.path])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains("$.hosts.a.port: error: expected an integer in 1...65535, found 99999")
    )
    #expect(result.stderr.contains("unknown host key 'adress'; did you mean 'address'?"))
    #expect(result.stderr.contains("group 'g' lists unknown host 'b'"))
  }
}
