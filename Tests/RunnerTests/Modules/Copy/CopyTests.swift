import Engine
import Foundation
import Modules
import Testing

/// `copy` decoded from playbook JSON and planned against a fake host.
struct CopyTests {
  let host = FakeHost()

  init() {
    host.stat("/etc/app", .directory())
  }

  static func decode(_ json: String) throws -> Copy {
    try JSONDecoder().decode(Copy.self, from: Data(json.utf8))
  }

  static func problems(_ json: String) -> String {
    let error = #expect(throws: ArgumentProblems.self) { try decode(json) }
    return error?.description ?? ""
  }

  // MARK: Arguments

  @Test func `content, dest and the file options decode, force defaulting to true`() throws {
    let copy = try Self.decode(
      #"{"content": "x\n", "dest": "/etc/app/x", "mode": "0640", "owner": "app", "group": "app", "backup": true, "validate": "check %s"}"#
    )
    #expect(copy.source == .content("x\n"))
    #expect(copy.destination == "/etc/app/x")
    #expect(copy.attributes == FileAttributes(mode: "0640", owner: "app", group: "app"))
    #expect(copy.backup && copy.validation == "check %s" && copy.force)
    #expect(
      try Self.decode(#"{"src": "motd", "dest": "/etc/motd", "force": false}"#).force == false)
    #expect(try Self.decode(#"{"src": "motd", "dest": "/etc/motd"}"#).source == .file("motd"))
  }

  @Test func `both content and src are refused`() {
    #expect(
      Self.problems(#"{"content": "x", "src": "a", "dest": "/etc/x"}"#)
        == "$.content: src and content are mutually exclusive")
  }

  @Test func `neither content nor src is refused`() {
    #expect(Self.problems(#"{"dest": "/etc/x"}"#) == "$.src: one of src or content is required")
  }

  @Test func `a relative or missing dest is refused`() {
    #expect(
      Self.problems(#"{"content": "x", "dest": "etc/x"}"#)
        .contains("expected an absolute path, found 'etc/x'"))
    #expect(Self.problems(#"{"content": "x"}"#).contains("$.dest: missing required"))
    let module = Copy(.content("x"), destination: "/etc/")
    #expect(
      module.validate() == [
        "dest: expected a file path, found a directory path ending in '/': '/etc/'"
      ])
  }

  @Test func `an unknown key is refused with a did-you-mean`() {
    #expect(
      Self.problems(#"{"content": "x", "dest": "/etc/x", "froce": false}"#)
        == "$.froce: unknown key 'froce'; did you mean 'force'?")
  }

  @Test func `a validate without %s is refused`() {
    #expect(
      Self.problems(#"{"content": "x", "dest": "/etc/x", "validate": "visudo -c"}"#)
        == "$.validate: validate must contain %s: visudo -c")
  }

  @Test func `a number or boolean content is its text, an object or list is refused`() throws {
    #expect(try Self.decode(#"{"content": 8080, "dest": "/etc/x"}"#).source == .content("8080"))
    #expect(try Self.decode(#"{"content": true, "dest": "/etc/x"}"#).source == .content("True"))
    for json in [#"{"a": 1}"#, "[1, 2]"] {
      #expect(
        Self.problems(#"{"content": \#(json), "dest": "/etc/x"}"#)
          == "$.content: expected text, found an object or a list; give the JSON to write as a string"
      )
    }
  }

  @Test func `every problem is reported at once`() {
    let text = Self.problems(#"{"content": "x", "src": "a", "dest": "x", "mod": "0644"}"#)
    #expect(text.contains("unknown key 'mod'; did you mean 'mode'?"))
    #expect(text.contains("src and content are mutually exclusive"))
    #expect(text.contains("expected an absolute path, found 'x'"))
  }

  @Test func `copy is a standard module`() throws {
    let registry = try ModuleRegistry(StandardModules.all)
    #expect(registry.type(named: "copy").map(ObjectIdentifier.init) == ObjectIdentifier(Copy.self))
  }

  // MARK: Plans

  @Test func `content is written, headed by dest, with template's result keys`() async throws {
    let plan = try await plan(
      Copy(.content("hello\n"), destination: "/etc/app/motd", mode: "0644"), on: host)
    #expect(
      plan.actions == [.write(FileWrite(Data("hello\n".utf8), to: "/etc/app/motd", mode: 0o644))])
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.beforeHeader == nil && diff.afterHeader == "/etc/app/motd")
    #expect(
      plan.values == ["dest": "/etc/app/motd", "state": "file", "size": 6, "mode": "0644"])
  }

  @Test func `src is copied as it is, the diff headed by the file it came from`() async throws {
    host.put("/etc/app/motd", "old\n")
    let files = InMemoryPlaybookFiles(files: ["motd": "Welcome {{ not_rendered }}\n"])
    let plan = try await plan(
      Copy(.file("motd"), destination: "/etc/app/motd"), on: host, files: files)
    #expect(
      plan.actions == [
        .write(FileWrite(Data("Welcome {{ not_rendered }}\n".utf8), to: "/etc/app/motd"))
      ])
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.beforeHeader == "/etc/app/motd")
    #expect(diff.afterHeader == "/playbooks/files/motd")
    #expect(plan.values["src"] == "motd")
  }

  @Test func `a src that is not there fails the plan, naming it`() async throws {
    let error = await #expect(throws: ModuleError.self) {
      try await plan(
        Copy(.file("nope"), destination: "/etc/app/x"), on: host,
        files: InMemoryPlaybookFiles(files: [:]))
    }
    #expect(error?.message == "src 'nope' not found")
  }

  @Test func `force false keeps an existing file, and writes a missing one`() async throws {
    host.put("/etc/app/motd", "theirs\n")
    let keep = Copy(.content("ours\n"), destination: "/etc/app/motd", force: false)
    #expect(try await plan(keep, on: host).isEmpty)
    let create = Copy(.content("ours\n"), destination: "/etc/app/new", force: false)
    #expect(try await plan(create, on: host).steps == [["write", "/etc/app/new"]])
  }

  @Test func `the same content with a drifted mode is only a chmod`() async throws {
    host.put("/etc/app/motd", "hello\n", mode: 0o600)
    host.stat("/etc/app/motd", .file(0o600), following: true)
    let plan = try await plan(
      Copy(.content("hello\n"), destination: "/etc/app/motd", mode: "0644"), on: host)
    #expect(plan.steps == [["chmod", "--", "0644", "/etc/app/motd"]])
  }

  @Test func `reads cover the file, its directory and its attributes`() {
    #expect(
      Copy(.content(""), destination: "/etc/app/x", owner: "app").reads(
        for: InventoryHost(name: "h1"))
        == [
          .file("/etc/app/x"), .fact(FileStatus(of: "/etc/app", followingLinks: true)),
          .fact(FileStatus(of: "/etc/app/x", followingLinks: true)),
        ])
  }
}
