import Engine
import Foundation
import Modules
import Testing

/// `file` planned against a fake host: which commands each situation needs, or which error.
struct FileTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var module: File
    var host: @Sendable (FakeHost) -> Void
    var expected: Expected
    var checkMode = false

    enum Expected: Sendable {
      case steps([[String]])
      case failure(String)
    }

    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "a missing directory is created with its mode",
      module: File(path: "/srv/app", state: .directory, mode: "0750"),
      host: { $0.stat("/srv/app", nil) },
      expected: .steps([["mkdir", "-p", "--", "/srv/app"], ["chmod", "--", "0750", "/srv/app"]])),
    Case(
      name: "a directory with the right mode is left alone",
      module: File(path: "/srv/app", state: .directory, mode: "0750"),
      host: { $0.stat("/srv/app", .directory(0o750)) }, expected: .steps([])),
    Case(
      name: "a symbolic mode equal to the current bits is no change",
      module: File(path: "/srv/app.conf", state: .file, mode: "u=rw,g=r,o="),
      host: { $0.stat("/srv/app.conf", .file(0o640)) }, expected: .steps([])),
    Case(
      name: "a symbolic mode is applied to the current bits",
      module: File(path: "/srv/app", state: .directory, mode: "g-x,o="),
      host: { $0.stat("/srv/app", .directory(0o755)) },
      expected: .steps([["chmod", "--", "0740", "/srv/app"]])),
    Case(
      name: "state file on a missing path fails",
      module: File(path: "/srv/missing", state: .file, mode: "0600"),
      host: { $0.stat("/srv/missing", nil) },
      expected: .failure("file (/srv/missing) is absent, cannot continue")),
    Case(
      name: "state file on a missing path fails in check mode too",
      module: File(path: "/srv/missing", state: .file, mode: "0600"),
      host: { $0.stat("/srv/missing", nil) },
      expected: .failure("file (/srv/missing) is absent, cannot continue"), checkMode: true),
    Case(
      name: "state file on a directory fails",
      module: File(path: "/srv", state: .file), host: { $0.stat("/srv", .directory()) },
      expected: .failure("file (/srv) is directory, cannot continue")),
    Case(
      name: "state directory on a file fails",
      module: File(path: "/srv/x", state: .directory), host: { $0.stat("/srv/x", .file()) },
      expected: .failure("/srv/x already exists as a file")),
    Case(
      name: "absent on a missing path is ok",
      module: File(path: "/srv/gone", state: .absent), host: { $0.stat("/srv/gone", nil) },
      expected: .steps([])),
    Case(
      name: "absent removes a directory tree",
      module: File(path: "/srv/old", state: .absent), host: { $0.stat("/srv/old", .directory()) },
      expected: .steps([["rm", "-r", "-f", "--", "/srv/old"]])),
    Case(
      name: "touch on an existing file always changes",
      module: File(path: "/srv/stamp", state: .touch), host: { $0.stat("/srv/stamp", .file()) },
      expected: .steps([["touch", "--", "/srv/stamp"]])),
    Case(
      name: "touch creates a missing file with its mode",
      module: File(path: "/srv/stamp", state: .touch, mode: "0600"),
      host: { $0.stat("/srv/stamp", nil) },
      expected: .steps([["touch", "--", "/srv/stamp"], ["chmod", "--", "0600", "/srv/stamp"]])),
    Case(
      name: "owner and group are changed when they differ",
      module: File(path: "/srv/f", owner: "app", group: "0"),
      host: { $0.stat("/srv/f", .file(owner: "root", group: "root")) },
      expected: .steps([["chown", "--", "app", "/srv/f"]])),
    Case(
      name: "the default state of an existing directory is directory",
      module: File(path: "/srv", mode: "0700"), host: { $0.stat("/srv", .directory(0o755)) },
      expected: .steps([["chmod", "--", "0700", "/srv"]])),
    Case(
      name: "a symlink to a directory is followed",
      module: File(path: "/srv/current", state: .directory, mode: "0755"),
      host: { host in
        host.stat("/srv/current", .link, following: false)
        host.stat("/srv/current", .directory(0o755), following: true)
      }, expected: .steps([])),
    Case(
      name: "a missing link is created",
      module: File(path: "/srv/current", state: .link, source: "releases/2"),
      host: { host in
        host.stat("/srv/current", nil)
        host.stat("/srv/releases/2", .directory(), following: true)
      }, expected: .steps([["ln", "-s", "--", "releases/2", "/srv/current"]])),
    Case(
      name: "a link to the right target is left alone",
      module: File(path: "/srv/current", state: .link, source: "releases/2"),
      host: { host in
        host.stat("/srv/current", .link)
        host.respond(to: ["readlink", "--", "/srv/current"], stdout: "releases/2\n")
      }, expected: .steps([])),
    Case(
      name: "a link to another target is replaced",
      module: File(path: "/srv/current", state: .link, source: "/srv/releases/3"),
      host: { host in
        host.stat("/srv/current", .link)
        host.stat("/srv/releases/3", .directory(), following: true)
        host.respond(to: ["readlink", "--", "/srv/current"], stdout: "releases/2\n")
      }, expected: .steps([["ln", "-s", "-f", "-n", "--", "/srv/releases/3", "/srv/current"]])),
    Case(
      name: "a file is not turned into a link without force",
      module: File(path: "/srv/current", state: .link, source: "/srv/releases/3"),
      host: { $0.stat("/srv/current", .file()) },
      expected: .failure("refusing to convert from file to symlink for /srv/current")),
    Case(
      name: "a link to a missing target is refused without force",
      module: File(path: "/srv/current", state: .link, source: "/nowhere"),
      host: { host in
        host.stat("/srv/current", nil)
        host.stat("/nowhere", nil, following: true)
      },
      expected: .failure(
        "src file does not exist, use \"force=yes\" if you really want to create the link: /nowhere"
      )),
    Case(
      name: "in check mode a link to a target not created yet is predicted",
      module: File(path: "/srv/current", state: .link, source: "/srv/releases/4"),
      host: { host in
        host.stat("/srv/current", nil)
        host.stat("/srv/releases/4", nil, following: true)
      }, expected: .steps([["ln", "-s", "--", "/srv/releases/4", "/srv/current"]]),
      checkMode: true),
    Case(
      name: "recurse fixes modes below a directory",
      module: File(path: "/srv/data", state: .directory, mode: "u=rwX,g=rX,o=", recurse: true),
      host: { host in
        host.stat("/srv/data", .directory(0o750))
        host.respond(
          to: ["find", "/srv/data"],
          stdout: "f|640|0|0|root|root|/srv/data/a\0d|755|0|0|root|root|/srv/data/sub\0")
      },
      expected: .steps([["chmod", "-R", "--", "u=rwX,g=rX,o=", "/srv/data"]])),
  ]

  @Test(arguments: cases)
  func `plans the expected commands`(_ example: Case) async throws {
    let host = FakeHost(readOnlyPrefixes: [["stat"], ["readlink"], ["find"]])
    example.host(host)
    switch example.expected {
    case .steps(let steps):
      let plan = try await plan(example.module, on: host, checkMode: example.checkMode)
      #expect(plan.steps == steps)
    case .failure(let message):
      let error = await #expect(throws: ModuleError.self) {
        try await plan(example.module, on: host, checkMode: example.checkMode)
      }
      #expect(error?.message == message)
    }
    #expect(host.mutations.isEmpty)
  }

  @Test func `a mode change is shown as Ansible's dict diff`() async throws {
    let host = FakeHost()
    host.stat("/srv/demo/app.conf", .file(0o600))
    let plan = try await plan(File(path: "/srv/demo/app.conf", mode: "0640"), on: host)
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.before == "{\n    \"mode\": \"0600\",\n    \"path\": \"/srv/demo/app.conf\"\n}\n")
    #expect(diff.after == "{\n    \"mode\": \"0640\",\n    \"path\": \"/srv/demo/app.conf\"\n}\n")
  }

  @Test func `a new directory's diff goes from absent to directory`() async throws {
    let host = FakeHost()
    host.stat("/srv/new", nil)
    let plan = try await plan(File(path: "/srv/new", state: .directory), on: host)
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.before.contains("\"state\": \"absent\""))
    #expect(diff.after.contains("\"state\": \"directory\""))
    #expect(plan.values["state"] == "directory")
  }

  @Test func `every argument problem is reported at once`() throws {
    let json = """
      {"path": "/srv", "stat": "directory", "mode": 644, "state": "file", "recurse": true,
       "src": "/x"}
      """
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(File.self, from: Data(json.utf8))
    }
    let text = error?.description ?? ""
    #expect(text.contains("unknown key 'stat'; did you mean 'state'?"))
    #expect(text.contains("found an integer"))
    #expect(text.contains("recurse requires state 'directory', found 'file'"))
    #expect(text.contains("src requires state 'link', found 'file'"))
  }

  @Test func `a misspelled state suggests the right one`() throws {
    let json = #"{"path": "/srv", "state": "directroy"}"#
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(File.self, from: Data(json.utf8))
    }
    #expect(error?.description.contains("did you mean 'directory'?") == true)
  }

  @Test func `JSON arguments decode to the same module as the Swift initializer`() throws {
    let json = #"{"path": "/srv/l", "state": "link", "src": "t", "force": true, "owner": "a"}"#
    let decoded = try JSONDecoder().decode(File.self, from: Data(json.utf8))
    let built = File(path: "/srv/l", state: .link, owner: "a", source: "t", force: true)
    #expect(decoded.path == built.path)
    #expect(decoded.state == built.state)
    #expect(decoded.attributes == built.attributes)
    #expect(decoded.source == built.source)
    #expect(decoded.force == built.force)
  }

  @Test func `reads are the stat the plan reads first`() {
    let module = File(path: "/srv/app", state: .directory)
    #expect(
      module.reads(for: InventoryHost(name: "h1")) == [
        .fact(FileStatus(of: "/srv/app"))
      ])
  }
}
