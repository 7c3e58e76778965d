import Connections
import Engine
import Foundation
import Modules
import Testing

/// Bad input of every kind, through the real `runner` binary against a local host whose
/// target tree the playbooks would change: each case must be refused with one clear error
/// per problem (file and JSON path or option, what was expected), exit 1 (5 for a bad
/// option), print no play, and leave the target byte-for-byte as it was.
@Suite struct BadInputTests {
  static let mark = BadInput.mark

  static let cases: [BadInput] = [
    // MARK: The playbook file
    .playbook(
      "invalid JSON: a missing value, with its line and column",
      "[{\"hosts\": \"h1\",\n  \"tasks\": [ , \(mark)]}]",
      "@DIR@/site.json:2:14: $[0].tasks[0]: error: invalid JSON: expected a value, found ','"),
    .playbook(
      "invalid JSON: a trailing comma in an object",
      #"[{"hosts": "h1", "tasks": [], }]"#,
      "@DIR@/site.json:1:31: $[0]: error: invalid JSON: expected a key (a string in double quotes), found '}'"
    ),
    .playbook(
      "invalid JSON: a Python literal",
      "[{\"hosts\": \"h1\",\n \"become\": True, \"tasks\": [\(mark)]}]",
      "@DIR@/site.json:2:12: $[0].become: error: invalid JSON: expected a value, found 'True'"),
    .playbook(
      "invalid JSON: an unterminated string",
      #"[{"hosts": "h1", "tasks": [], "name": "never closed}]"#,
      "@DIR@/site.json:1:39: $[0].name: error: invalid JSON: unterminated string (no closing '\"')"
    ),
    .playbook(
      "invalid JSON: a raw line break inside a string",
      "[{\"hosts\": \"h1\", \"name\": \"two\nlines\", \"tasks\": [\(mark)]}]",
      "@DIR@/site.json:1:30: $[0].name: error: invalid JSON: a string cannot contain a raw control character (a line break)"
    ),
    .playbook(
      "invalid JSON: text after the value",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark)]}]\n[]",
      "@DIR@/site.json:2:1: error: invalid JSON: unexpected '[' after the end of the JSON value"),
    .playbook(
      "invalid JSON: nested too deep",
      "[{\"hosts\": \"h1\", \"vars\": {\"deep\": " + String(repeating: "[", count: 600)
        + String(repeating: "]", count: 600) + "}, \"tasks\": [\(mark)]}]",
      "@DIR@/site.json:1:544: $[0].vars.deep: error: invalid JSON: nested deeper than 512 levels"),
    .playbook(
      "a NUL character in a path (\\u0000 would cut it short)",
      #"[{"hosts": "h1", "tasks": [{"name": "x", "template": {"content": "x", "dest": "@OUT@/a\u0000/../../etc/x"}}]}]"#,
      "@DIR@/site.json:1:145: $[0].tasks[0].template.dest: error: invalid JSON: a string cannot contain a NUL character (\\u0000)"
    ),
    .playbook(
      "a template dest ending in a slash",
      #"[{"hosts": "h1", "tasks": [\#(mark), {"name": "x", "template": {"content": "x", "dest": "@OUT@/d/"}}]}]"#,
      "@DIR@/site.json: $[0].tasks[1].template.dest: error: template: expected a file path, found a directory path ending in '/'"
    ),
    .playbook(
      "an integer beyond 64 bits is not read as another number",
      #"[{"hosts": "h1", "vars": {"n": 18446744073709551616}, "tasks": [\#(mark)]}]"#,
      "@DIR@/site.json:1:32: $[0].vars.n: error: invalid JSON: the integer 18446744073709551616 is out of range"
    ),
    BadInput(
      name: "a UTF-16 playbook is named as such",
      files: [
        "site.json": .utf16(BadInput.goodPlaybook), "inventory.json": .text(BadInput.inventory),
      ],
      arguments: BadInput.standardArguments,
      expected: ["@DIR@/site.json:1:1: error: invalid JSON: the document is UTF-16LE, not UTF-8"]),
    .playbook(
      "a key given twice in a play",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark)],\n  \"hosts\": \"all\"}]",
      "@DIR@/site.json:2:3: $[0].hosts: error: invalid JSON: duplicate key 'hosts' (first at line 1, column 3)"
    ),
    .playbook(
      "the playbook is an object, not a list of plays",
      #"{"hosts": "h1", "tasks": []}"#,
      "@DIR@/site.json: error: expected the playbook (a list of plays) as a list, found an object"),
    .playbook(
      "a playbook without plays", "[]", "@DIR@/site.json: error: the playbook has no plays"),
    .playbook(
      "a play without hosts", "[{\"name\": \"nowhere\", \"tasks\": [\(mark)]}]",
      "@DIR@/site.json: $[0]: error: a play needs 'hosts' (a host, group or pattern such as \"all\")"
    ),
    .playbook(
      "an unknown play key", "[{\"hosts\": \"h1\", \"taks\": [], \"tasks\": [\(mark)]}]",
      "@DIR@/site.json: $[0].taks: error: unknown play key 'taks'; did you mean 'tasks'?"),
    .playbook(
      "an unknown module",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"name\": \"x\", \"templat\": {\"content\": \"x\", \"dest\": \"@OUT@/x\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].templat: error: unknown module or task keyword 'templat'; did you mean 'template'?"
    ),
    .playbook(
      "two modules in one task",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"file\": {\"path\": \"@OUT@/d\"}, \"command\": {\"argv\": [\"true\"]}}]}]",
      "@DIR@/site.json: $[0].tasks[1]: error: a task runs exactly one module, found 'command', 'file'"
    ),
    .playbook(
      "an unknown module argument, with a suggestion",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"template\": {\"content\": \"x\", \"dest\": \"@OUT@/existing.conf\", \"mdoe\": \"0600\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template.mdoe: error: template: unknown key 'mdoe'; did you mean 'mode'?"
    ),
    .playbook(
      "a string for an integer",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"command\": {\"argv\": [\"true\"]}, \"retries\": \"3\", \"until\": \"true\"}]}]",
      "@DIR@/site.json: $[0].tasks[1].retries: error: expected an integer, found a string"),
    .playbook(
      "an integer for a mode",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"file\": {\"path\": \"@OUT@/d\", \"mode\": 700}}]}]",
      "@DIR@/site.json: $[0].tasks[1].file.mode: error: file: expected a mode as a string such as \"0644\" or \"u=rw,g=r,o=\", found an integer"
    ),
    .playbook(
      "a list for a string",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"template\": {\"content\": [\"x\"], \"dest\": \"@OUT@/existing.conf\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template.content: error: template: expected a string, found a list"
    ),
    .playbook(
      "a mode that is not a mode",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"file\": {\"path\": \"@OUT@/d\", \"mode\": \"0999\"}}]}]",
      #"@DIR@/site.json: $[0].tasks[1].file.mode: error: file: invalid mode '0999': expected octal such as "0644" or symbolic such as "u=rw,g=r,o=""#
    ),
    .playbook(
      "a relative destination",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"template\": {\"content\": \"x\", \"dest\": \"out/x\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template.dest: error: template: expected an absolute path, found 'out/x'"
    ),
    .playbook(
      "an unknown file state, with a suggestion",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"file\": {\"path\": \"@OUT@/d\", \"state\": \"dirctory\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].file.state: error: file: unknown state 'dirctory', expected one of file, directory, absent, touch, link; did you mean 'directory'?"
    ),
    .playbook(
      "an unknown systemd state, with a suggestion and nothing else",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"systemd\": {\"name\": \"x.service\", \"state\": \"start\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].systemd.state: error: systemd: unknown state 'start', expected one of started, stopped, restarted, reloaded; did you mean 'started'?"
    ),
    .playbook(
      "an unknown podman_image state, with a suggestion",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"podman_image\": {\"name\": \"app\", \"state\": \"presnt\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].podman_image.state: error: podman_image: unknown state 'presnt', expected one of present, absent; did you mean 'present'?"
    ),
    .playbook(
      "an undefined variable, with a suggestion",
      "[{\"hosts\": \"h1\", \"vars\": {\"greeting\": \"hi\"}, \"tasks\": [\(mark), {\"template\": {\"content\": \"{{ greting }}\", \"dest\": \"@OUT@/existing.conf\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template: error: template: undefined variable 'greting'; did you mean 'greeting'?"
    ),
    .playbook(
      "a reference cycle",
      "[{\"hosts\": \"h1\", \"vars\": {\"a\": \"{{ b }}\", \"b\": \"{{ a }}\"}, \"tasks\": [\(mark), {\"template\": {\"content\": \"{{ a }}\", \"dest\": \"@OUT@/existing.conf\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template: error: template: variable reference cycle: a -> b -> a"
    ),
    .playbook(
      "an unterminated reference",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"template\": {\"content\": \"x {{ y\", \"dest\": \"@OUT@/existing.conf\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template: error: template: unterminated '{{' at line 1, column 3"
    ),
    .playbook(
      "Jinja arithmetic, which is not evaluated",
      "[{\"hosts\": \"h1\", \"vars\": {\"x\": 1}, \"tasks\": [\(mark), {\"template\": {\"content\": \"{{ x + 1 }}\", \"dest\": \"@OUT@/existing.conf\"}}]}]",
      "@DIR@/site.json: $[0].tasks[1].template: error: template: unsupported expression '{{ x + 1 }}'"
    ),
    .playbook(
      "an invalid condition",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"file\": {\"path\": \"@OUT@/d\"}, \"when\": \"x ==\"}]}]",
      "@DIR@/site.json: $[0].tasks[1].when: error: invalid expression 'x ==': unexpected end of expression at column 5; expected a value"
    ),
    .playbook(
      "notify of an unknown handler, with a suggestion",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"name\": \"c\", \"file\": {\"path\": \"@OUT@/d\"}, \"notify\": \"Restrat\"}], \"handlers\": [{\"name\": \"Restart\", \"command\": {\"argv\": [\"true\"]}}]}]",
      "@DIR@/site.json: $[0].tasks[1]: error: step 'c' notifies unknown handler 'Restrat'; did you mean 'Restart'?"
    ),
    .playbook(
      "a block of handlers nesting a block",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark)], \"handlers\": [{\"block\": [{\"block\": [{\"command\": {\"argv\": [\"true\"]}}]}]}]}]",
      "@DIR@/site.json: $[0].handlers[0].block[0]: error: Using a block as a handler is not supported."
    ),
    .playbook(
      "an unknown role, with a suggestion",
      "[{\"hosts\": \"h1\", \"pre_tasks\": [\(mark)], \"roles\": [\"dci-api\"]}]",
      "@DIR@/site.json: $[0].roles[0]: error: unknown role 'dci-api'; did you mean 'dci_api'?"),
    .playbook(
      "a role entry without a role",
      "[{\"hosts\": \"h1\", \"pre_tasks\": [\(mark)], \"roles\": [{\"vars\": {}}]}]",
      "@DIR@/site.json: $[0].roles[0]: error: a role entry needs 'role' (the role's name)"),
    .playbook(
      "an unknown strategy",
      "[{\"hosts\": \"h1\", \"strategy\": \"lineer\", \"tasks\": [\(mark)]}]",
      "@DIR@/site.json: $[0].strategy: error: unknown strategy 'lineer', expected one of linear, free; did you mean 'linear'?"
    ),
    .playbook(
      "an unknown meta action",
      "[{\"hosts\": \"h1\", \"tasks\": [\(mark), {\"meta\": \"end_plays\"}]}]",
      "@DIR@/site.json: $[0].tasks[1].meta: error: unknown meta action 'end_plays', expected one of flush_handlers, noop, end_play, end_host, end_batch, clear_host_errors, refresh_inventory, clear_facts, reset_connection; did you mean 'end_play'?"
    ),
    .playbook(
      "a host pattern naming no host or group",
      "[{\"hosts\": \"web\", \"tasks\": [\(mark)]}]",
      "@DIR@/site.json: $[0]: error: play 'web': hosts pattern names unknown host or group 'web'"),

    // MARK: The inventory
    .inventory(
      "a host given twice (a duplicated JSON key)",
      "{\"hosts\": {\"h1\": {\"connection\": \"local\"},\n           \"h1\": {\"address\": \"192.0.2.1\"}}}",
      "@DIR@/inventory.json:2:12: $.hosts.h1: error: invalid JSON: duplicate key 'h1' (first at line 1, column 12); JSON keeps only one of them, so the other would be silently lost"
    ),
    .inventory(
      "a port out of range", #"{"hosts": {"h1": {"connection": "local", "port": 70000}}}"#,
      "@DIR@/inventory.json: $.hosts.h1.port: error: expected an integer in 1...65535, found 70000"
    ),
    .inventory(
      "a negative control_persist",
      #"{"hosts": {"h1": {"connection": "local", "control_persist": -1}}}"#,
      "@DIR@/inventory.json: $.hosts.h1.control_persist: error: expected an integer in 0...86400, found -1"
    ),
    .inventory(
      "a port given as a string", #"{"hosts": {"h1": {"connection": "local", "port": "22"}}}"#,
      "@DIR@/inventory.json: $.hosts.h1.port: error: expected an integer, found a string"),
    .inventory(
      "an unknown top-level inventory key",
      #"{"hosts": {"h1": {"connection": "local"}}, "grups": {}}"#,
      "@DIR@/inventory.json: $.grups: error: unknown inventory key 'grups'; did you mean 'groups'?"),
    .inventory(
      "an unknown host key", #"{"hosts": {"h1": {"connection": "local", "adress": "x"}}}"#,
      "@DIR@/inventory.json: $.hosts.h1.adress: error: unknown host key 'adress'; did you mean 'address'?"
    ),
    .inventory(
      "an unknown connection", #"{"hosts": {"h1": {"connection": "telnet"}}}"#,
      "@DIR@/inventory.json: $.hosts.h1.connection: error: expected \"local\", \"podman\" or \"ssh\", found 'telnet'"
    ),
    .inventory(
      "a group listing an unknown host",
      #"{"hosts": {"h1": {"connection": "local"}}, "groups": {"web": {"hosts": ["h1", "h2"]}}}"#,
      "@DIR@/inventory.json: $.groups.web.hosts[1]: error: group 'web' lists unknown host 'h2'; did you mean 'h1'?"
    ),
    .inventory(
      "a group cycle",
      #"{"hosts": {"h1": {"connection": "local"}}, "groups": {"a": {"children": ["b"]}, "b": {"children": ["a"]}}}"#,
      problems: 2, "@DIR@/inventory.json: $.groups.a: error: group cycle: a -> b -> a",
      "@DIR@/inventory.json: $.groups.b: error: group cycle: b -> a -> b"),
    .inventory(
      "an inventory that is a list", #"[{"h1": {"connection": "local"}}]"#,
      "@DIR@/inventory.json: error: expected the inventory as an object, found a list"),

    // MARK: Extra variables
    .extraVars(
      "-e with an empty variable name", ["-e", "=oops"],
      "-e #1: error: expected key=value, @file.json or a JSON object, found '=oops'"),
    .extraVars(
      "-e with a bare word", ["-e", "greeting"],
      "-e #1: error: expected key=value, @file.json or a JSON object, found 'greeting'"),
    .extraVars(
      "-e with an invalid variable name", ["-e", "bad-name=1"],
      "-e #1: error: invalid variable name 'bad-name'"),
    BadInput(
      name: "-e key=value with a blank in the value, then an '=': no part of it is shown",
      files: [
        "site.json": .text(BadInput.goodPlaybook), "inventory.json": .text(BadInput.inventory),
      ],
      arguments: ["-e", "dbpassword=first half-Secr3t=Tail9"] + BadInput.standardArguments,
      expected: [
        "-e #1: error: expected key=value, found a word that is not key=value after 'dbpassword=…' (not shown: it may be part of a value)"
      ],
      absent: ["half", "Secr3t", "Tail9"]),
    .extraVars(
      "-e key=value with two blanks in the value: one problem", ["-e", "greeting=a b c"],
      "-e #1: error: expected key=value, found a word without '=' after 'greeting=…'"),
    .extraVars(
      "-e with broken inline JSON, with its column", ["-e", #"{"greeting": "hi",}"#],
      "-e #1:1:19: error: invalid JSON in -e: expected a key (a string in double quotes), found '}'"
    ),
    .extraVars(
      "-e with a duplicated key", ["-e", #"{"greeting": "hi", "greeting": "ho"}"#],
      "-e #1:1:20: $.greeting: error: invalid JSON in -e: duplicate key 'greeting'"),
    .extraVars(
      "-e @file that does not exist", ["-e", "@@DIR@/missing.json"],
      "@DIR@/missing.json: error: the extra vars file does not exist"),
    .extraVars(
      "-e @file that is a directory", ["-e", "@@OUT@"],
      "@OUT@: error: the extra vars path is a directory, expected a JSON file"),
    .extraVars(
      "-e @file that cannot be read", ["-e", "@/proc/self/mem"],
      "/proc/self/mem: error: the extra vars file cannot be read"),
    .extraVars(
      "-e @file with invalid JSON", ["-e", "@@DIR@/vars.json"],
      files: ["vars.json": .text("{\n  \"greeting\": hi\n}\n")],
      "@DIR@/vars.json:2:15: $.greeting: error: invalid JSON: expected a value, found an unquoted word"
    ),
    BadInput(
      name: "-e @file with an unquoted secret: no part of it is shown",
      files: [
        "site.json": .text(BadInput.goodPlaybook), "inventory.json": .text(BadInput.inventory),
        "vars.json": .text("{\"vault_db_password\": correcthorsebatterystaple}"),
      ],
      arguments: ["-e", "@@DIR@/vars.json"] + BadInput.standardArguments,
      expected: [
        "@DIR@/vars.json:1:23: $.vault_db_password: error: invalid JSON: expected a value, found an unquoted word"
      ],
      absent: ["correct", "horse", "battery"]),
    .extraVars(
      "-e with inline JSON holding a Python literal, quoted back",
      ["-e", #"{"enabled": True}"#],
      "-e #1:1:13: $.enabled: error: invalid JSON in -e: expected a value, found 'True'"),
    .extraVars(
      "-e @file holding a list", ["-e", "@@DIR@/vars.json"],
      files: ["vars.json": .text("[\"greeting\"]")],
      "@DIR@/vars.json: error: an extra vars file must hold a JSON object, found a list"),
    .extraVars(
      "every -e problem at once",
      ["-e", "=x", "-e", "@@DIR@/missing.json", "-e", #"{"a": }"#], problems: 3,
      "-e #1: error:", "@DIR@/missing.json: error:",
      "-e #3:1:7: $.a: error: invalid JSON in -e: expected a value, found '}'"),

    // MARK: Files
    BadInput(
      name: "the playbook path is a directory",
      files: ["inventory.json": .text(BadInput.inventory)],
      arguments: ["-i", "@DIR@/inventory.json", "@OUT@"],
      expected: ["@OUT@: error: the playbook path is a directory, expected a JSON file"]),
    BadInput(
      name: "the playbook does not exist", files: ["inventory.json": .text(BadInput.inventory)],
      arguments: BadInput.standardArguments,
      expected: ["@DIR@/site.json: error: the playbook file does not exist"]),
    .playbook("an empty playbook", "", "@DIR@/site.json: error: the playbook file is empty"),
    .playbook(
      "a playbook of blanks only", " \n\t\n", "@DIR@/site.json: error: the playbook file is empty"),
    BadInput(
      name: "a playbook over 16 MiB",
      files: [
        "site.json": .padded(bytes: 16 * 1024 * 1024 + 1),
        "inventory.json": .text(BadInput.inventory),
      ],
      arguments: BadInput.standardArguments,
      expected: [
        "@DIR@/site.json: error: the playbook file is 16777217 bytes, more than the 16777216 a playbook may have"
      ]),
    BadInput(
      name: "an inventory over 16 MiB",
      files: [
        "site.json": .text(BadInput.goodPlaybook), "inventory.json": .padded(bytes: 17_000_000),
      ],
      arguments: BadInput.standardArguments,
      expected: ["@DIR@/inventory.json: error: the inventory file is 17000000 bytes"]),
    .extraVars(
      "problems of the inventory and of -e together", ["-e", "=x"],
      files: ["inventory.json": .text("{\"hosts\": {}, \"x\": 1}")], problems: 2,
      "@DIR@/inventory.json: $.x: error: unknown inventory key 'x'", "-e #1: error:"),

    // MARK: The command line
    .option("an unknown option", ["--bogus", "@DIR@/site.json"], "unrecognized option '--bogus'"),
    .option(
      "--forks 0", ["--forks", "0", "@DIR@/site.json"],
      "option --forks: expected a positive integer, found '0'"),
    .option(
      "--forks that is not a number", ["-f", "many", "@DIR@/site.json"],
      "option -f: expected a positive integer, found 'many'"),
    .option(
      "no playbook argument", ["-i", "@DIR@/inventory.json"], "the playbook argument is required"),
    .option(
      "two playbooks", ["@DIR@/site.json", "@DIR@/inventory.json"],
      "one playbook at a time: found '@DIR@/site.json' and '@DIR@/inventory.json'"),
    .option(
      "an unknown output format", ["-o", "yaml", "@DIR@/site.json"],
      "option -o: expected 'console' or 'json', found 'yaml'"),
    .option("an option without its value", ["@DIR@/site.json", "-i"], "option -i needs a value"),
    .option(
      "a value on a flag (--check=no would still check)", ["--check=no", "@DIR@/site.json"],
      "option --check takes no value, found '--check=no'"),
    .option(
      "a value on --force-handlers", ["--force-handlers=no", "@DIR@/site.json"],
      "option --force-handlers takes no value, found '--force-handlers=no'"),
    .option(
      "a negative lock timeout", ["--lock-timeout", "-1", "@DIR@/site.json"],
      "option --lock-timeout: expected a non-negative integer, found '-1'"),
  ]

  @Test(arguments: cases + roleCases)
  func `bad input is refused before anything changes`(_ input: BadInput) throws {
    let target = try BatteryTarget()
    try target.write(input.files)
    let before = try target.snapshot()
    let etcBefore = FileManager.default.fileExists(atPath: "/etc/dci-api")
    let result = try target.run(input.arguments)

    #expect(result.status == input.status, "\(result.all)")
    for fragment in input.expected.map(target.expand) {
      #expect(result.stderr.contains(fragment), "expected: \(fragment)\nstderr: \(result.stderr)")
    }
    if let problems = input.problems {
      let header =
        "ERROR! \(problems) problem\(problems == 1 ? "" : "s") found; nothing was changed:"
      #expect(result.stderr.hasPrefix(header + "\n"), "\(result.stderr)")
      let errorLines = result.stderr.split(separator: "\n").filter {
        $0.contains(" error: ") || $0.hasPrefix("error: ")
      }
      #expect(errorLines.count == problems, "one line per problem:\n\(result.stderr)")
    } else {
      #expect(result.stderr.contains("\n\nusage: runner"), "\(result.stderr)")
    }
    for text in input.absent {
      #expect(!result.all.contains(text), "'\(text)' reached the output")
    }
    #expect(!result.stdout.contains("PLAY [") && !result.stdout.contains("TASK ["))
    #expect(try target.snapshot() == before, "the target changed")
    #expect(FileManager.default.fileExists(atPath: "/etc/dci-api") == etcBefore)
    Self.report(input, result, target: target)
  }

  /// RUNNER_BATTERY_REPORT=DIR keeps, per case, what was expected and what the binary
  /// printed (its first error line and exit status), for a reader (e.g. a report).
  static func report(_ input: BadInput, _ result: RunnerProcess.Result, target: BatteryTarget) {
    guard let folder = ProcessInfo.processInfo.environment["RUNNER_BATTERY_REPORT"] else { return }
    let observed =
      result.stderr.split(separator: "\n").first {
        $0.contains(" error: ") || $0.hasPrefix("error: ") || !$0.hasPrefix("ERROR!")
      } ?? ""
    let record: JSONValue = [
      "case": .string(input.name), "status": .int(Int(result.status)),
      "expected": .array(input.expected.map { .string($0) }),
      "observed": .string(target.relative(String(observed))),
    ]
    let name = String(input.name.unicodeScalars.filter(CharacterSet.alphanumerics.contains))
    try? record.compactJSON.write(
      toFile: folder + "/" + name.prefix(80) + ".json", atomically: true, encoding: .utf8)
  }

  /// Role dependencies are Swift (`Role.dependencies`), so no JSON playbook can make a cycle
  /// and the binary, which ships only the standard roles, cannot be shown one. The test roles
  /// `cycle_a` and `cycle_b` make one, validated in process exactly as the binary does it
  /// (`PlaybookRunner.prepare` before `run`), against the same local target.
  @Test func `a role dependency cycle is refused before anything changes`() throws {
    let target = try BatteryTarget()
    let text = target.expand(
      "[{\"hosts\": \"h1\", \"pre_tasks\": [\(BadInput.mark)], \"roles\": [\"cycle_a\"]}]")
    let playbook = try PlaybookLoader(modules: try ModuleRegistry(StandardModules.all))
      .load(Data(text.utf8), file: "site.json")
    let inventory = try InventoryLoader.load(Data(BadInput.inventory.utf8), file: "inventory.json")
    let runner = PlaybookRunner(
      options: RunOptions(), roles: try RoleRegistry(testRoles),
      connections: StandardConnectionFactory())
    let before = try target.snapshot()
    let error = #expect(throws: DefinitionErrors.self) {
      try runner.prepare(playbook, inventory: inventory)
    }
    #expect(error?.problems.count == 1)
    #expect(
      error?.problems.first?.message == "role dependency cycle: cycle_a -> cycle_b -> cycle_a")
    // Blamed on the dependency that closes the cycle, in the role's Swift source.
    #expect(error?.problems.first?.location?.file == "RunnerTests/TestRoles.swift")
    #expect(try target.snapshot() == before)
  }

  @Test func `the base playbook changes the target`() throws {
    let target = try BatteryTarget()
    try target.write([
      "site.json": .text(BadInput.goodPlaybook), "inventory.json": .text(BadInput.inventory),
    ])
    let before = try target.snapshot()
    let result = try target.run(BadInput.standardArguments)
    #expect(result.status == 0, "\(result.all)")
    let after = try target.snapshot()
    #expect(after["ran"] != nil && after["restarted"] != nil)
    #expect(after["existing.conf"] != before["existing.conf"])
    #expect(after["d"] == "directory 700")
  }
}
