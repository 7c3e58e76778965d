import Connections
import Engine
import Foundation
import Modules
import Testing

extension HandlerID {
  static let reloadNotes: HandlerID = "Reload notes"
}

/// A role written the way README's "Writing a role in Swift" shows, outside the `Roles`
/// target, with only the public `Engine` and `Modules` API: typed variables with a default
/// and a required one, a secret, a step that notifies, a handler.
struct Notes: Role, DeclaredVariables {
  static let name: RoleName = "notes"

  var directory: HostPath = "/tmp"
  var port = 8080
  var token = ""

  /// Each variable once: its name, its property, required or not, its rules, secret or not.
  static var declarations: [RoleVariable<Self>] {
    [
      .required("notes_dir", \.directory),
      .optional("notes_port", \.port, rules: [.port]),
      .required("notes_token", \.token, secret: true),
    ]
  }

  var steps: [Step] {
    Step("Render the notes config", notify: .reloadNotes) {
      Template(
        destination: directory.appending("notes.conf"), contents: "port=\(port)\ntoken=\(token)\n",
        mode: 0o600, sensitive: true)
    }
  }

  var handlers: [Handler] {
    Handler(.reloadNotes) {
      CommandModule(["touch", directory.appending("reloaded").rawValue])
    }
  }
}

@Suite struct RoleAuthoringTests {
  func run(_ directory: String, port: Int) async throws -> (PlayRecap, RecordingSink) {
    let sink = RecordingSink()
    let runner = PlaybookRunner(
      options: RunOptions(), roles: try RoleRegistry([Notes.self]),
      connections: StandardConnectionFactory())
    let play = Play(
      name: "notes", hosts: "localhost",
      roles: [
        RoleInclusion(
          "notes",
          parameters: [
            "notes_dir": .string(directory), "notes_port": .int(port),
            "notes_token": "s3cr3t-token",
          ])
      ])
    let prepared = try runner.prepare(Playbook(plays: [play]), inventory: .localhost)
    return (await runner.run(prepared.plays, reportingTo: sink), sink)
  }

  @Test func `a role from outside the Roles target deploys, notifies and converges locally`()
    async throws
  {
    let directory = try TemporaryDirectory()
    let (first, sink) = try await run(directory.url.path, port: 9090)
    #expect(first.exitCode == 0)
    #expect(sink.handlersRun == ["notes : Reload notes"])
    let config = directory.url.appendingPathComponent("notes.conf").path
    #expect(
      try String(contentsOfFile: config, encoding: .utf8) == "port=9090\ntoken=s3cr3t-token\n")
    let mode = try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(FileManager.default.fileExists(atPath: directory.path("reloaded")))
    let (second, quiet) = try await run(directory.url.path, port: 9090)
    #expect(second.stats["localhost"]?.changed == 0)
    #expect(quiet.handlersRun.isEmpty)
  }

  @Test func `its variables are checked like any role's`() async throws {
    let runner = PlaybookRunner(
      options: RunOptions(), roles: try RoleRegistry([Notes.self]),
      connections: StandardConnectionFactory())
    let play = Play(
      hosts: "localhost", roles: [RoleInclusion("notes", parameters: ["notes_prot": 1])])
    let error = #expect(throws: DefinitionErrors.self) {
      try runner.prepare(Playbook(plays: [play]), inventory: .localhost)
    }
    let text = error?.description ?? ""
    #expect(text.contains("unknown key 'notes_prot'; did you mean 'notes_port'?"))
    #expect(text.contains("notes_dir"))
    #expect(text.contains("notes_token"))
  }

  @Test func `its table names its variables and its secret`() {
    #expect(Notes.variableNames == ["notes_dir", "notes_port", "notes_token"])
    #expect(Notes.secretVariables == ["notes_token"])
  }
}
