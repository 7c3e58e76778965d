import Engine
import Foundation
import Modules
import Testing

@testable import Roles

/// No value reaches a shell unquoted, through the playbook and CLI path: hostile values given
/// with `-e @file` are used as a `command` argv element, as `template` content, in a
/// `template` destination name and as a `file` path, on a local host. The exact bytes must
/// arrive, and nothing the value could trigger (`$(touch …)`, backticks) may happen.
@Suite struct HostileValueTests {
  /// `@PWNED@` becomes a path in the test's temp directory that must never exist.
  static let values: [String] = [
    "with space",
    "it's 'single' quoted",
    "\"double\" quoted",
    "$HOME ${HOME} $$ $1",
    "$(touch @PWNED@)",
    "`touch @PWNED@`",
    "a; touch @PWNED@",
    "a | touch @PWNED@",
    "a && touch @PWNED@ &",
    "line one\nline two\n",
    "*",
    "%s %d %n %%",
    "-n",
    "--help",
    "back\\slash \\n \\\\",
    "tab\there",
    "unicode ✓ é 😀",
    "",
    "a=b;c=$(touch @PWNED@)",
    "> @PWNED@",
  ]

  static let playbook = """
    [{"name": "Hostile values", "hosts": "h1", "tasks": [
      {"name": "As an argv element", "command": {"argv":
        ["/bin/sh", "-c", "printf %s \\"$1\\" > @OUT@/argv", "sh", "{{ value }}"]}},
      {"name": "As template content", "template": {"content": "{{ value }}",
        "dest": "@OUT@/content", "mode": "0640"}},
      {"name": "In a destination name", "template": {"content": "x",
        "dest": "@OUT@/name-{{ file_name }}"}},
      {"name": "As a directory path", "file": {"path": "@OUT@/dir-{{ file_name }}",
        "state": "directory"}},
      {"name": "As a touched file", "file": {"path": "@OUT@/touch-{{ file_name }}",
        "state": "touch"}}]}]
    """

  @Test(arguments: values)
  func `a hostile value arrives exactly and triggers nothing`(template: String) throws {
    let target = try BatteryTarget()
    let pwned = target.directory.path("pwned")
    let value = template.replacing("@PWNED@", with: pwned)
    // A file name cannot hold '/': the value as a file name has it replaced.
    let fileName = value.replacing("/", with: "_")
    let vars = JSONValue.object(["value": .string(value), "file_name": .string(fileName)])
    try target.write([
      "site.json": .text(Self.playbook), "inventory.json": .text(BadInput.inventory),
      "vars.json": .text(vars.compactJSON),
    ])
    let result = try target.run(["-e", "@@DIR@/vars.json"] + BadInput.standardArguments)
    #expect(result.status == 0, "\(result.all)")

    let out = target.out
    #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/argv")) == Data(value.utf8))
    #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/content")) == Data(value.utf8))
    #expect(try LocalTree.mode(of: out + "/content") == 0o640)
    #expect(try String(contentsOfFile: out + "/name-" + fileName, encoding: .utf8) == "x")
    var isDirectory: ObjCBool = false
    #expect(
      FileManager.default.fileExists(atPath: out + "/dir-" + fileName, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
    #expect(FileManager.default.fileExists(atPath: out + "/touch-" + fileName))
    // Nothing else: no file a glob, a redirection or a substitution would have made.
    let expected: Set<String> = [
      "existing.conf", "secret.env", "d", "argv", "content", "name-" + fileName,
      "dir-" + fileName, "touch-" + fileName,
    ]
    #expect(Set(try LocalTree.names(in: out)) == expected)
    #expect(!FileManager.default.fileExists(atPath: pwned), "a value was run by a shell")
    #expect(
      Set(try LocalTree.names(in: target.directory.url.path)) == [
        "out", "site.json", "inventory.json", "vars.json",
      ])
  }

  /// In the dci_api role, `=`, `;`, `$(…)` and backticks in a value of the environment file
  /// are taken literally (podman's env file has no quoting and no expansion: the value runs
  /// to the end of the line), and in gunicorn's arguments they reach `Exec=` with `$`
  /// doubled, which systemd turns back into one literal `$` (no shell is involved).
  @Test func `dci_api writes such values literally into the env file and the unit`() throws {
    let hostile = "db=1;$(touch /tmp/x) `id` | & * %s"
    var vars = try Self.dciAPIVariables()
    vars["dbhost"] = .string(hostile)
    vars["dbpassword"] = .string("pa=ss;word$(x)")
    vars["gunicorn_extra_cmd_args"] = "--log-level=debug --name=$(x);`id`"
    let variables = try JSONValue.object(vars).decode(DCIAPIVariables.self)
    let environment = variables.environment.text
    #expect(environment.contains("\nDB_HOST=\(hostile)\n"))
    #expect(
      variables.settingSecrets.first { $0.target == "DB_PASSWORD" }?.secret.data
        == "pa=ss;word$(x)")
    let unit = try QuadletUnit(.container(variables.apiContainer)).text()
    let exec = unit.split(separator: "\n").first { $0.hasPrefix("Exec=") } ?? ""
    #expect(exec.hasSuffix(" --log-level=debug --name=$$(x);`id` dci.app:create_app()"))
  }

  /// The shipped playbook's variables, its vault references replaced by plain values.
  static func dciAPIVariables() throws -> [String: JSONValue] {
    let url = DCIAPIPlaybook.repository.appendingPathComponent("playbooks/dci_api.json")
    let plays = try JSONValue.parse(try Data(contentsOf: url))
    var vars = plays.arrayValue?.first?.objectValue?["vars"]?.objectValue ?? [:]
    for (key, value) in vars where value.stringValue?.contains("{{") == true {
      vars[key] = .string("plain-\(key)")
    }
    return vars
  }
}
