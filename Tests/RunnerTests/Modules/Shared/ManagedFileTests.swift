import Engine
import Foundation
import Modules
import Testing

/// `ManagedFile` planned against a fake host: the rules `template`, `copy` and
/// `podman_quadlet` share, each tested once here.
struct ManagedFileTests {
  let host = FakeHost()
  static let path: HostPath = "/etc/app/app.conf"

  init() {
    host.stat("/etc/app", .directory())
    host.stat("/etc/missing", nil)
  }

  func plan(_ file: ManagedFile, checkMode: Bool = false) async throws -> Plan {
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: checkMode,
      reader: HostReader(connection: host))
    let plan = try await file.plan(in: context, reporting: file.resultValues)
    #expect(host.mutations.isEmpty, "planning changed the host")
    return plan
  }

  static func file(
    _ text: String, mode: ModeSpec? = nil, owner: String? = nil, backup: Bool = false,
    validate: String? = nil, force: Bool = true, diffContent: ManagedFile.DiffContent = .shown
  ) -> ManagedFile {
    ManagedFile(
      path: path, content: Data(text.utf8), attributes: FileAttributes(mode: mode, owner: owner),
      backup: backup, validation: validate.map(ValidationCommand.init), force: force,
      diffContent: diffContent)
  }

  @Test func `a new file is one write with its final mode, the diff without a before header`()
    async throws
  {
    let plan = try await plan(Self.file("port=8080\n", mode: "0640"))
    let change = try #require(plan.changes.first)
    #expect(plan.changes.count == 1)
    #expect(change.summary == "create /etc/app/app.conf")
    #expect(
      change.actions == [.write(FileWrite(Data("port=8080\n".utf8), to: Self.path, mode: 0o640))])
    #expect(change.diff?.beforeHeader == nil && change.diff?.afterHeader == Self.path.rawValue)
    #expect(change.diff?.after == "port=8080\n")
    #expect(
      plan.values == [
        "dest": .string(Self.path.rawValue), "state": "file", "size": 10, "mode": "0640",
      ])
  }

  @Test func `the same content without attributes is ok, with nothing run`() async throws {
    host.put(Self.path, "x\n")
    let plan = try await plan(Self.file("x\n"))
    #expect(plan.isEmpty)
    #expect(host.commands.isEmpty)
  }

  @Test func `drift only in mode is changed with only the attribute action`() async throws {
    host.put(Self.path, "x\n", mode: 0o600)
    host.stat(Self.path, .file(0o600), following: true)
    let plan = try await plan(Self.file("x\n", mode: "0640"))
    #expect(plan.changes.count == 1)
    #expect(plan.actions == [.run(Command(["chmod", "--", "0640", Self.path.rawValue]))])
    #expect(plan.changes.first?.summary == "set mode 0640 on /etc/app/app.conf")
    let path = JSONValue.string(Self.path.rawValue)
    #expect(
      plan.changes.first?.diff
        == .attributes(
          before: ["path": path, "mode": "0600"], after: ["path": path, "mode": "0640"]))
  }

  @Test func `attributes already right with the same content are ok`() async throws {
    host.put(Self.path, "x\n", mode: 0o640)
    host.stat(Self.path, .file(0o640, owner: "app"), following: true)
    #expect(try await plan(Self.file("x\n", mode: "0640", owner: "app")).isEmpty)
  }

  @Test func `new content on an existing file is one write that also sets the attributes`()
    async throws
  {
    host.put(Self.path, "old\n", mode: 0o600)
    host.stat(Self.path, .file(0o600), following: true)
    let plan = try await plan(Self.file("new\n", mode: "g+r", owner: "app"))
    #expect(plan.changes.first?.summary == "update /etc/app/app.conf")
    // The symbolic mode is applied to the current one.
    #expect(
      plan.actions == [
        .write(FileWrite(Data("new\n".utf8), to: Self.path, mode: 0o640, owner: "app"))
      ])
    #expect(plan.changes.first?.diff?.before == "old\n")
    #expect(plan.changes.first?.diff?.beforeHeader == Self.path.rawValue)
  }

  @Test func `backup is made by the write of an existing file, and reported`() async throws {
    host.put(Self.path, "old\n")
    let plan = try await plan(Self.file("new\n", backup: true))
    let backup = try #require(plan.values["backup_file"]?.stringValue)
    #expect(backup.hasPrefix("/etc/app/app.conf.") && backup.hasSuffix("~"))
    guard case .write(let write) = plan.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(write.backup == HostPath(backup))
  }

  @Test func `a new file has nothing to back up`() async throws {
    let plan = try await plan(Self.file("new\n", backup: true))
    #expect(plan.values["backup_file"] == nil)
    guard case .write(let write) = plan.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(write.backup == nil)
  }

  @Test func `validate becomes the write's argv, a broken one fails the plan`() async throws {
    let validated = try await plan(Self.file("x\n", validate: #"check --name 'two words' %s"#))
    guard case .write(let write) = validated.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(write.validate == ["check", "--name", "two words", "%s"])
    #expect(ValidationCommand("check %s").problem == nil)
    #expect(ValidationCommand("check").problem == "validate must contain %s: check")
    let error = await #expect(throws: ModuleError.self) {
      try await self.plan(Self.file("x\n", validate: "check 'unbalanced %s"))
    }
    #expect(error?.message.hasPrefix("validate: ") == true)
  }

  @Test func `force false leaves an existing file alone, content and attributes, unread`()
    async throws
  {
    host.put(Self.path, "theirs\n", mode: 0o666)
    let plan = try await plan(Self.file("ours\n", mode: "0600", force: false))
    #expect(plan.isEmpty)
    #expect(host.commands.isEmpty)
    #expect(plan.values["dest"] == .string(Self.path.rawValue))
  }

  @Test func `force false still creates a missing file`() async throws {
    let plan = try await plan(Self.file("ours\n", force: false))
    #expect(plan.steps == [["write", Self.path.rawValue]])
  }

  @Test func `a masked diff hides the secrets on both sides, the write keeps them`() async throws {
    host.put(Self.path, "USER=app\nPASSWORD=old-Secr3t\n")
    let masked = SecretMasker.placeholder
    let plan = try await plan(
      Self.file(
        "USER=app\nPASSWORD=new-Secr3t\n", diffContent: .masked(.valuesExcept(["USER"]))))
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.before == "USER=app\nPASSWORD=\(masked)\n")
    #expect(diff.after == "USER=app\nPASSWORD=\(masked) (changed)\n")
    #expect(!TextDiff.render(diff).contains("Secr3t"))
    guard case .write(let write) = plan.actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(write.contents == Data("USER=app\nPASSWORD=new-Secr3t\n".utf8))
  }

  @Test func `hidden content leaves only the headers`() async throws {
    host.put(Self.path, "PASSWORD=old\n")
    let diff = try #require(
      try await plan(Self.file("PASSWORD=new\n", diffContent: .hidden)).changes.first?.diff)
    #expect(diff.isHidden && diff.before.isEmpty && diff.after.isEmpty)
    #expect(diff.beforeHeader == Self.path.rawValue && diff.afterHeader == Self.path.rawValue)
  }

  @Test func `the after header can name the source, as copy's src does`() async throws {
    var file = Self.file("x\n")
    file.afterHeader = "/playbooks/files/app.conf"
    let diff = try #require(try await plan(file).changes.first?.diff)
    #expect(diff.afterHeader == "/playbooks/files/app.conf")
  }

  @Test func `a module's own up-to-date rule and new-file mode are used`() async throws {
    var file = Self.file("x=1\n# new comment\n")
    file.newFileMode = 0o640
    file.isUpToDate = { current, wanted in
      func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }
      }
      return lines(current) == lines(wanted)
    }
    guard case .write(let created) = try await plan(file).actions.first else {
      Issue.record("expected a write")
      return
    }
    #expect(created.mode == 0o640)
    host.put(Self.path, "# old comment\nx=1\n")
    #expect(try await plan(file).isEmpty)
    host.put(Self.path, "x=2\n")
    guard case .write(let updated) = try await plan(file).actions.first else {
      Issue.record("expected a write")
      return
    }
    // An existing file keeps its mode when none is asked for.
    #expect(updated.mode == nil)
  }

  @Test func `a missing parent directory fails, in check mode it is a note`() async throws {
    let file = ManagedFile(path: "/etc/missing/app.conf", content: Data("x".utf8))
    let error = await #expect(throws: ModuleError.self) { try await self.plan(file) }
    #expect(error?.message == "Destination directory /etc/missing does not exist")
    let predicted = try await plan(file, checkMode: true)
    #expect(predicted.changes.count == 1)
    #expect(predicted.note == "Destination directory /etc/missing does not exist (yet)")
  }

  @Test func `without requiring the parent, it is not read`() async throws {
    var file = ManagedFile(path: "/etc/missing/app.conf", content: Data("x".utf8))
    file.requiresParentDirectory = false
    #expect(try await plan(file).changes.count == 1)
    #expect(host.commands.isEmpty)
    #expect(file.reads == [.file("/etc/missing/app.conf")])
  }

  @Test func `reads are the file, its parent and, with attributes, its status`() {
    #expect(
      Self.file("", mode: "0600").reads == [
        .file(Self.path), .fact(FileStatus(of: "/etc/app", followingLinks: true)),
        .fact(FileStatus(of: Self.path, followingLinks: true)),
      ])
  }

  @Test func `a destination must be an absolute file path`() {
    #expect(ManagedFile.destinationProblem("/etc/x") == nil)
    #expect(
      ManagedFile.destinationProblem("etc/x") == "expected an absolute path, found 'etc/x'")
    #expect(ManagedFile.destinationProblem("/etc/")?.contains("ending in '/'") == true)
  }

  // MARK: A module written outside `Modules`

  /// `env_file` (Support/TestModules.swift) is a test module built on `ManagedFile`: a JSON
  /// playbook runs it, it converges, and its diff masks what is not public.
  @Test func `a module author's file module converges and masks its diff`() async throws {
    let json = """
      [{"hosts": "all", "tasks": [{"name": "env", "env_file": {"path": "/etc/app/app.env",
        "values": {"USER": "app", "TOKEN": "t-Secr3t"}, "public": ["USER"]}}]}]
      """
    var run = TestRun()
    run.options.diff = true
    let fake = run.host("h1")
    fake.stat("/etc/app", .directory())
    let first = try await run.run(json)
    #expect(first.stats["h1"]?.changed == 1)
    #expect(fake.text("/etc/app/app.env") == "TOKEN=t-Secr3t\nUSER=app\n")
    #expect(fake.file("/etc/app/app.env")?.mode == 0o600)
    let diff = try #require(run.sink.results(of: "env")["h1"]?.diffs.first)
    #expect(diff.after == "TOKEN=\(SecretMasker.placeholder)\nUSER=app\n")

    fake.stat("/etc/app/app.env", .file(0o600), following: true)
    var again = TestRun(reusing: [fake])
    again.options.diff = true
    let second = try await again.run(json)
    #expect(second.stats["h1"]?.changed == 0)
    #expect(second.stats["h1"]?.ok == 1)
  }
}
