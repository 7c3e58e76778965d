import Connections
import Engine
import Foundation
import Modules
import Testing

/// `template` planned and applied on a real temp directory through `LocalConnection`.
struct TemplateLocalTests {
  @Test(arguments: HostileValues.fileNames)
  func `hostile names and contents are written exactly, then left alone`(name: String)
    async throws
  {
    try await withLocalHost { host in
      let contents = HostileValues.strings.joined(separator: "\n")
      let module = Template(destination: host.path(name), contents: contents, mode: "0640")
      try await host.apply(module)
      #expect(try host.text(name) == contents)
      #expect(try host.mode(name) == 0o640)
      #expect(try await host.plan(module).isEmpty)
    }
  }

  @Test func `a secret file is never readable by others`() async throws {
    try await withLocalHost { host in
      let module = Template(
        destination: host.path("secret.env"), contents: "PASSWORD=x\n", mode: "u=rw,g=,o=",
        sensitive: true)
      try await host.apply(module)
      #expect(try host.mode("secret.env") == 0o600)
    }
  }

  @Test func `a mode drift is fixed without rewriting the content`() async throws {
    try await withLocalHost { host in
      try await host.apply(Template(destination: host.path("f"), contents: "x", mode: "0600"))
      let module = Template(destination: host.path("f"), contents: "x", mode: "0644")
      let (plan, _) = try await host.apply(module)
      #expect(plan.steps == [["chmod", "--", "0644", host.path("f").rawValue]])
      #expect(try host.mode("f") == 0o644)
      #expect(try await host.plan(module).isEmpty)
    }
  }

  @Test func `a missing directory fails and nothing is written`() async throws {
    try await withLocalHost { host in
      let error = await #expect(throws: ModuleError.self) {
        try await host.apply(Template(destination: host.path("missing/app.conf"), contents: "x"))
      }
      #expect(error?.message == "Destination directory \(host.directory)/missing does not exist")
      let snapshot = try host.snapshot()
      #expect(snapshot.count == 1)
    }
  }

  @Test func `a failing validate leaves the old file and reports failed to validate`()
    async throws
  {
    try await withLocalHost { host in
      try await host.apply(Template(destination: host.path("app.conf"), contents: "good\n"))
      let before = try host.snapshot()
      let module = Template(
        destination: host.path("app.conf"), contents: "bad\n", validate: "grep -q good %s")
      let error = await #expect(throws: ValidationFailed.self) { try await host.apply(module) }
      #expect(error?.description.hasPrefix("failed to validate") == true)
      #expect(try host.snapshot() == before)
    }
  }

  @Test func `backup keeps the old content beside the new file`() async throws {
    try await withLocalHost { host in
      try await host.apply(Template(destination: host.path("app.conf"), contents: "old\n"))
      let (plan, _) = try await host.apply(
        Template(destination: host.path("app.conf"), contents: "new\n", backup: true))
      let backup = try #require(plan.values["backup_file"]?.stringValue)
      #expect(try String(contentsOfFile: backup, encoding: .utf8) == "old\n")
      #expect(try host.text("app.conf") == "new\n")
    }
  }

  @Test func `check mode leaves the tree byte for byte identical`() async throws {
    try await withLocalHost { host in
      try await host.apply(
        Template(destination: host.path("a.conf"), contents: "a\n", mode: "0600"))
      let before = try host.snapshot()
      for module in [
        Template(destination: host.path("a.conf"), contents: "changed\n", backup: true),
        Template(destination: host.path("a.conf"), contents: "a\n", mode: "0644"),
        Template(destination: host.path("b.conf"), contents: "b\n"),
        Template(destination: host.path("new-dir/c.conf"), contents: "c\n"),
      ] {
        let plan = try await host.plan(module, checkMode: true)
        #expect(!plan.isEmpty)
      }
      #expect(try host.snapshot() == before)
    }
  }
}
