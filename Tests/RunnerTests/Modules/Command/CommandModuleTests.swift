import Engine
import Foundation
import Modules
import Testing

/// `command` planned against a fake host, decoded from JSON, and its report.
struct CommandModuleTests {
  let host = FakeHost()

  @Test func `a command without creates or removes cannot be predicted`() async throws {
    let plan = try await plan(CommandModule(["systemctl", "daemon-reload"]), on: host)
    #expect(plan.steps == [["systemctl", "daemon-reload"]])
    #expect(plan.unpredictableReason == "Command would have run if not in check mode")
  }

  struct Skip: Sendable, CustomTestStringConvertible {
    var name: String
    var module: CommandModule
    var exists: Bool
    var runs: Bool
    var testDescription: String { name }
  }

  static let skips: [Skip] = [
    Skip(
      name: "creates exists: skipped", module: CommandModule(["make"], creates: "/opt/x"),
      exists: true, runs: false),
    Skip(
      name: "creates missing: runs", module: CommandModule(["make"], creates: "/opt/x"),
      exists: false, runs: true),
    Skip(
      name: "removes exists: runs", module: CommandModule(["rm", "/opt/x"], removes: "/opt/x"),
      exists: true, runs: true),
    Skip(
      name: "removes missing: skipped", module: CommandModule(["rm", "/opt/x"], removes: "/opt/x"),
      exists: false, runs: false),
  ]

  @Test(arguments: skips)
  func `creates and removes decide whether it runs`(_ example: Skip) async throws {
    host.stat("/opt/x", example.exists ? .file() : nil, following: true)
    let plan = try await plan(example.module, on: host)
    #expect(plan.isEmpty == !example.runs)
    if example.runs {
      #expect(plan.unpredictableReason == nil)
    } else {
      #expect(plan.values["rc"] == 0)
      #expect(plan.values["stdout"]?.stringValue?.hasPrefix("skipped, since /opt/x") == true)
    }
  }

  @Test(arguments: [
    (#"echo  $HOME   'a b'  ; ls"#, ["echo", "$HOME", "a b", ";", "ls"]),
    (#"sh -c 'printf "%s\n" a b'"#, ["sh", "-c", #"printf "%s\n" a b"#]),
    (
      #"gunicorn --access-logformat "%(h)s %(r)s""#,
      ["gunicorn", "--access-logformat", "%(h)s %(r)s"]
    ),
  ])
  func `cmd is split into words as a shell would, never through a shell`(
    cmd: String, argv: [String]
  ) throws {
    let json = JSONValue.object(["cmd": .string(cmd)]).compactJSON
    let module = try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
    #expect(module.arguments == argv)
  }

  @Test func `an exact reference to a number or a boolean in argv runs as its text`()
    async throws
  {
    let json = #"""
      [{"hosts": "all", "vars": {"port": 8080, "verbose": true},
        "tasks": [{"name": "Echo", "command": {"argv": ["echo", "{{ port }}", "{{ verbose }}"]}}]}]
      """#
    let run = TestRun()
    let playbook = try PlaybookLoader(modules: try ModuleRegistry(StandardModules.all))
      .load(Data(json.utf8), file: "site.json")
    let recap = try await run.run(playbook)
    #expect(recap.stats["h1"]?.failed == 0)
    #expect(run.host("h1").commands == [["echo", "8080", "True"]])
  }

  @Test func `a cmd with an unterminated quote is refused at its path`() throws {
    let json = #"{"cmd": "sh -c 'echo hi"}"#
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
    }
    #expect(error?.description == "$.cmd: unterminated ' quote (opened at character 7)")
  }

  @Test func `numbers and booleans in argv, cmd and stdin are taken as their text`() throws {
    let json = #"{"argv": ["echo", 8080, true, 2.5, "x"], "stdin": 42}"#
    let module = try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
    #expect(module.arguments == ["echo", "8080", "True", "2.5", "x"])
    #expect(module.command.input == Data("42\n".utf8))
    let cmd = try JSONDecoder().decode(CommandModule.self, from: Data(#"{"cmd": 7}"#.utf8))
    #expect(cmd.arguments == ["7"])
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(CommandModule.self, from: Data(#"{"argv": ["echo", [1]]}"#.utf8))
    }
    #expect(error?.description == "$.argv[1]: expected a string, found a list")
  }

  @Test func `directory, environment and stdin become the command's`() throws {
    let json = """
      {"argv": ["cat"], "chdir": "/srv", "environment": {"A": "x y", "N": 3, "B": true},
       "stdin": "hello"}
      """
    let module = try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
    let command = module.command
    #expect(command.arguments == ["cat"])
    #expect(command.input == Data("hello\n".utf8))
    // As in Ansible, a boolean becomes Python's spelling.
    #expect(command.environment == ["A": "x y", "N": "3", "B": "True"])
    #expect(command.directory == "/srv")
    let raw = CommandModule(["cat"], standardInput: "hello", addsNewlineToInput: false)
    #expect(raw.command.input == Data("hello".utf8))
  }

  @Test func `every argument problem is reported at once`() throws {
    let json = """
      {"argv": ["a"], "cmd": "b", "creats": "/x", "environment": {"BAD NAME": "v", "L": [1]},
       "chdir": "relative"}
      """
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
    }
    let text = error?.description ?? ""
    #expect(text.contains("unknown key 'creats'; did you mean 'creates'?"))
    #expect(text.contains("argv and cmd are mutually exclusive"))
    #expect(text.contains("'BAD NAME' is not a valid environment variable name"))
    #expect(text.contains("'L' must be a string"))
    #expect(text.contains("expected an absolute path, found 'relative'"))
  }

  @Test func `an empty command is blamed on the argument that gave it, once`() throws {
    func problems(_ json: String) -> String {
      let error = #expect(throws: ArgumentProblems.self) {
        try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
      }
      return error?.description ?? ""
    }
    #expect(problems(#"{"cmd": "  "}"#) == "$.cmd: the command is empty")
    #expect(problems(#"{"argv": []}"#) == "$.argv: the command is empty")
    #expect(problems(#"{"cmd": "'unclosed"}"#).hasPrefix("$.cmd: "))
    #expect(!problems(#"{"cmd": "'unclosed"}"#).contains("empty"))
    #expect(problems(#"{"chdir": "/tmp"}"#) == "$.cmd: one of argv or cmd is required")
    #expect(CommandModule([]).validate() == ["argv: the command is empty"])
  }

  @Test func `a command is required`() throws {
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(CommandModule.self, from: Data(#"{"creates": "/x"}"#.utf8))
    }
    #expect(error?.description.contains("one of argv or cmd is required") == true)
  }

  @Test func `the report carries rc, stdout, stderr and cmd as Ansible's`() {
    let report = CommandModule(["echo", "hi"]).resultValues(from: [
      CommandOutput(exitCode: 0, stdout: "one\ntwo\n", stderr: "warn\n")
    ])
    #expect(
      report == [
        "cmd": ["echo", "hi"], "rc": 0, "stdout": "one\ntwo", "stderr": "warn",
        "stdout_lines": ["one", "two"], "stderr_lines": ["warn"],
      ])
  }
}
