import Engine
import Foundation
import Modules
import Testing

/// `template` planned against a fake host.
struct TemplateTests {
  let host = FakeHost()

  init() {
    host.stat("/etc/app", .directory())
    host.stat("/etc/missing", nil)
  }

  @Test func `a new file is written with its mode, and the diff has no before header`()
    async throws
  {
    let module = Template(destination: "/etc/app/app.conf", contents: "port=8080\n", mode: "0640")
    let plan = try await plan(module, on: host)
    #expect(
      plan.actions == [
        .write(FileWrite(Data("port=8080\n".utf8), to: "/etc/app/app.conf", mode: 0o640))
      ])
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.beforeHeader == nil)
    #expect(diff.afterHeader == "/etc/app/app.conf")
    #expect(diff.after == "port=8080\n")
    #expect(!diff.isHidden)
  }

  @Test func `a changed file shows before and after headers with the destination`() async throws {
    host.put("/etc/app/app.conf", "port=8080\nname=demo\n")
    let module = Template(destination: "/etc/app/app.conf", contents: "port=9090\nname=demo\n")
    let diff = try #require(try await plan(module, on: host).changes.first?.diff)
    #expect(diff.beforeHeader == "/etc/app/app.conf")
    #expect(diff.before == "port=8080\nname=demo\n")
    #expect(diff.after == "port=9090\nname=demo\n")
  }

  @Test func `the same content is no change, and applying is idempotent`() async throws {
    let module = Template(destination: "/etc/app/app.conf", contents: "x\n")
    let first = try await plan(module, on: host)
    _ = try await ActionExecutor(connection: host).apply(first.changes)
    #expect(host.text("/etc/app/app.conf") == "x\n")
    #expect(try await plan(module, on: host).isEmpty)
  }

  @Test func `only a different mode is an attribute change with a dict diff`() async throws {
    host.put("/etc/app/app.conf", "x\n", mode: 0o600)
    host.stat("/etc/app/app.conf", .file(0o600), following: true)
    let module = Template(destination: "/etc/app/app.conf", contents: "x\n", mode: "0640")
    let plan = try await plan(module, on: host)
    #expect(plan.steps == [["chmod", "--", "0640", "/etc/app/app.conf"]])
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.before == "{\n    \"mode\": \"0600\",\n    \"path\": \"/etc/app/app.conf\"\n}\n")
    #expect(diff.after == "{\n    \"mode\": \"0640\",\n    \"path\": \"/etc/app/app.conf\"\n}\n")
  }

  @Test func `a missing destination directory fails the plan`() async throws {
    let module = Template(destination: "/etc/missing/app.conf", contents: "x")
    let error = await #expect(throws: ModuleError.self) { try await plan(module, on: host) }
    #expect(error?.message == "Destination directory /etc/missing does not exist")
  }

  @Test func `in check mode a missing directory is predicted, not a failure`() async throws {
    let module = Template(destination: "/etc/missing/app.conf", contents: "x")
    let plan = try await plan(module, on: host, checkMode: true)
    #expect(plan.changes.count == 1)
    #expect(plan.note?.contains("/etc/missing does not exist") == true)
  }

  @Test func `sensitive content never reaches the diff`() async throws {
    host.put("/etc/app/secret.env", "PASSWORD=old\n")
    host.stat("/etc/app/secret.env", .file(0o600), following: true)
    let module = Template(
      destination: "/etc/app/secret.env", contents: "PASSWORD=new\n", mode: "0600",
      sensitive: true)
    let diff = try #require(try await plan(module, on: host).changes.first?.diff)
    #expect(diff.isHidden)
    #expect(!diff.before.contains("PASSWORD"))
    #expect(!diff.after.contains("PASSWORD"))
  }

  // MARK: A diff with secrets masked by name

  static let masked = SecretMasker.placeholder
  static let mask = DiffMask.valuesExcept(["LOG_LEVEL", "A", "DB_USER"])

  @Test func `a masked diff shows the changed line and masks the secrets, old and new`()
    async throws
  {
    host.put("/etc/app/app.env", "LOG_LEVEL=INFO\nDB_PASSWORD=old-Secr3t\nAPI_KEY=k-Secr3t\n")
    host.stat("/etc/app/app.env", .file(0o600), following: true)
    let module = Template(
      destination: "/etc/app/app.env",
      contents: "LOG_LEVEL=DEBUG\nDB_PASSWORD=old-Secr3t\nAPI_KEY=k-Secr3t\n", mode: "0600",
      diffMask: Self.mask)
    let plan = try await plan(module, on: host)
    let diff = try #require(plan.changes.first?.diff)
    #expect(!diff.isHidden)
    #expect(diff.before == "LOG_LEVEL=INFO\nDB_PASSWORD=\(Self.masked)\nAPI_KEY=\(Self.masked)\n")
    #expect(diff.after == "LOG_LEVEL=DEBUG\nDB_PASSWORD=\(Self.masked)\nAPI_KEY=\(Self.masked)\n")
    #expect(
      TextDiff.render(diff) == """
        --- before: /etc/app/app.env
        +++ after: /etc/app/app.env
        @@ -1,3 +1,3 @@
        -LOG_LEVEL=INFO
        +LOG_LEVEL=DEBUG
         DB_PASSWORD=\(Self.masked)
         API_KEY=\(Self.masked)


        """)
    // What is written is the real text, of course.
    #expect(
      plan.actions == [
        .write(
          FileWrite(
            Data("LOG_LEVEL=DEBUG\nDB_PASSWORD=old-Secr3t\nAPI_KEY=k-Secr3t\n".utf8),
            to: "/etc/app/app.env", mode: 0o600))
      ])
  }

  @Test func `a changed secret is one masked line marked changed`() async throws {
    host.put("/etc/app/app.env", "A=1\nDB_PASSWORD=old-Secr3t\n")
    let module = Template(
      destination: "/etc/app/app.env", contents: "A=1\nDB_PASSWORD=new-Secr3t\n",
      diffMask: Self.mask)
    let diff = try #require(try await plan(module, on: host).changes.first?.diff)
    let rendered = TextDiff.render(diff)
    #expect(
      rendered.contains("\n-DB_PASSWORD=\(Self.masked)\n+DB_PASSWORD=\(Self.masked) (changed)\n"))
    #expect(!rendered.contains("Secr3t"))
  }

  @Test func `a new file's secrets are masked, and other names and lines are left alone`()
    async throws
  {
    let contents = "DB_PASSWORD=new-Secr3t\nDB_USER=shown\nAPI_KEY=\n\n"
    let module = Template(destination: "/etc/app/app.env", contents: contents, diffMask: Self.mask)
    let diff = try #require(try await plan(module, on: host).changes.first?.diff)
    #expect(diff.before == "")
    #expect(
      diff.after == "DB_PASSWORD=\(Self.masked)\nDB_USER=shown\nAPI_KEY=\(Self.masked)\n\n")
  }

  /// Lines nobody declared may hold secrets: an operator's own name, a commented-out old
  /// value, an `export`ed or indented line, a line without `=`. Only the public names show.
  @Test func `every line but an exact public name is masked, old and new`() async throws {
    let lines = [
      "LEGACY_API_TOKEN=tok-Secr3t", "#DB_PASSWORD=old-Secr3t", "  DB_USER=ind-Secr3t",
      "export A=exp-Secr3t", "DB_USER =sp-Secr3t", "bare-Secr3t",
    ]
    host.put("/etc/app/app.env", (["A=1"] + lines).joined(separator: "\n") + "\n")
    let module = Template(
      destination: "/etc/app/app.env", contents: "A=2\nDB_USER=dci\n", diffMask: Self.mask)
    let diff = try #require(try await plan(module, on: host).changes.first?.diff)
    #expect(!diff.before.contains("Secr3t") && !diff.after.contains("Secr3t"))
    #expect(
      diff.before == """
        A=1
        LEGACY_API_TOKEN=\(Self.masked)
        #DB_PASSWORD=\(Self.masked)
          DB_USER=\(Self.masked)
        export A=\(Self.masked)
        DB_USER =\(Self.masked)
        \(Self.masked)

        """)
    #expect(diff.after == "A=2\nDB_USER=dci\n")
  }

  @Test func `sensitive still hides everything, even with a mask`() async throws {
    host.put("/etc/app/app.env", "A=1\n")
    let module = Template(
      destination: "/etc/app/app.env", contents: "A=2\n", sensitive: true, diffMask: Self.mask)
    let diff = try #require(try await plan(module, on: host).changes.first?.diff)
    #expect(diff.isHidden && diff.before.isEmpty && diff.after.isEmpty)
  }

  @Test func `a number or a boolean as content is written as its text`() throws {
    for (json, text) in [("8080", "8080"), ("true", "True"), ("2.5", "2.5")] {
      let module = try JSONDecoder().decode(
        Template.self, from: Data(#"{"content": \#(json), "dest": "/etc/x"}"#.utf8))
      #expect(module.body == .contents(text))
    }
  }

  @Test func `backup is made by the write, once validated, and its name reported`() async throws {
    host.put("/etc/app/app.conf", "old\n")
    let module = Template(destination: "/etc/app/app.conf", contents: "new\n", backup: true)
    let plan = try await plan(module, on: host)
    let backup = try #require(plan.values["backup_file"]?.stringValue)
    #expect(backup.hasPrefix("/etc/app/app.conf.") && backup.hasSuffix("~"))
    #expect(plan.steps == [["write", "/etc/app/app.conf"]])
    guard case .write(let file) = plan.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(file.backup == HostPath(backup))
  }

  @Test func `validate is split as a shell splits, its quotes kept together`() async throws {
    let module = Template(
      destination: "/etc/app/x", contents: "x", validate: #"check --name 'two words' "%s""#)
    let plan = try await plan(module, on: host)
    guard case .write(let file) = plan.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(file.validate == ["check", "--name", "two words", "%s"])
  }

  @Test func `validate is split into argv and handed to the write`() async throws {
    let module = Template(
      destination: "/etc/app/sudoers", contents: "x", validate: "visudo -cf %s")
    let plan = try await plan(module, on: host)
    guard case .write(let file) = plan.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(file.validate == ["visudo", "-cf", "%s"])
  }

  @Test func `a playbook template file is rendered with the step's variables`() async throws {
    let templates = InMemoryTemplates(files: ["app.conf.tmpl": "port={{ port }}\n"])
    let module = Template(source: "app.conf.tmpl", destination: "/etc/app/app.conf")
    let plan = try await plan(module, on: host, templates: templates, variables: ["port": 8080])
    #expect(plan.actions == [.write(FileWrite(Data("port=8080\n".utf8), to: "/etc/app/app.conf"))])
    #expect(plan.values["src"] == "app.conf.tmpl")
  }

  @Test func `every argument problem is reported at once`() throws {
    let json =
      #"{"src": "a", "content": "b", "dest": "relative", "validate": "visudo -c", "mod": "0644"}"#
    let error = #expect(throws: ArgumentProblems.self) {
      try JSONDecoder().decode(Template.self, from: Data(json.utf8))
    }
    let text = error?.description ?? ""
    #expect(text.contains("unknown key 'mod'; did you mean 'mode'?"))
    #expect(text.contains("src and content are mutually exclusive"))
    #expect(text.contains("expected an absolute path, found 'relative'"))
    #expect(text.contains("validate must contain %s: visudo -c"))
  }

  @Test func `a Swift role's invalid validate is caught before running`() {
    let module = Template(destination: "/etc/x", contents: "", validate: "true")
    #expect(module.validate() == ["validate: validate must contain %s: true"])
  }

  @Test func `reads cover the file, its directory and its attributes`() {
    let module = Template(destination: "/etc/app/app.conf", contents: "", mode: "0600")
    #expect(
      module.reads(for: InventoryHost(name: "h1")) == [
        .file("/etc/app/app.conf"),
        .fact(FileStatus(of: "/etc/app", followingLinks: true)),
        .fact(FileStatus(of: "/etc/app/app.conf", followingLinks: true)),
      ])
  }
}
