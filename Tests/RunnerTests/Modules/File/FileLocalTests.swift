import Engine
import Foundation
import Modules
import Testing

/// `file` planned and applied on a real temp directory through `LocalConnection`.
struct FileLocalTests {
  @Test func `a nested directory is created with its mode, then left alone`() async throws {
    try await withLocalHost { host in
      let module = File(path: host.path("a/b c/d"), state: .directory, mode: "0750")
      let (plan, _) = try await host.apply(module)
      #expect(plan.changes.count == 1)
      #expect(try host.mode("a/b c/d") == 0o750)
      #expect(try await host.plan(module).isEmpty)
    }
  }

  @Test(arguments: HostileValues.fileNames)
  func `hostile names are created, touched, linked and removed`(name: String) async throws {
    try await withLocalHost { host in
      try await host.apply(File(path: host.path(name), state: .directory, mode: "0700"))
      #expect(try host.mode(name) == 0o700)
      let stamp = name + "/stamp"
      try await host.apply(File(path: host.path(stamp), state: .touch, mode: "0600"))
      #expect(try host.mode(stamp) == 0o600)
      let link = File(path: host.path(name + "/link"), state: .link, source: "stamp")
      try await host.apply(link)
      #expect(try await host.plan(link).isEmpty)
      #expect(
        try FileManager.default.destinationOfSymbolicLink(
          atPath: host.path(name + "/link").rawValue)
          == "stamp")
      try await host.apply(File(path: host.path(name), state: .absent))
      #expect(!host.exists(name))
      #expect(try await host.plan(File(path: host.path(name), state: .absent)).isEmpty)
    }
  }

  @Test func `touch changes every time`() async throws {
    try await withLocalHost { host in
      let module = File(path: host.path("stamp"), state: .touch)
      let first = try await host.apply(module).plan
      let second = try await host.apply(module).plan
      #expect(first.changes.count == 1)
      #expect(second.changes.count == 1)
      #expect(host.exists("stamp"))
    }
  }

  @Test func `a symbolic mode then the same octal mode is ok`() async throws {
    try await withLocalHost { host in
      try await host.apply(File(path: host.path("f"), state: .touch))
      try await host.apply(File(path: host.path("f"), mode: "u=rw,g=r,o="))
      #expect(try host.mode("f") == 0o640)
      #expect(try await host.plan(File(path: host.path("f"), mode: "0640")).isEmpty)
    }
  }

  @Test func `recurse sets modes on a whole tree, then is idempotent`() async throws {
    try await withLocalHost { host in
      for path in ["tree/sub/deeper", "tree/other"] {
        try await host.apply(File(path: host.path(path), state: .directory, mode: "0777"))
      }
      try await host.apply(File(path: host.path("tree/sub/file"), state: .touch, mode: "0666"))
      let module = File(
        path: host.path("tree"), state: .directory, mode: "u=rwX,g=rX,o=", recurse: true)
      try await host.apply(module)
      #expect(try host.mode("tree") == 0o750)
      #expect(try host.mode("tree/sub/deeper") == 0o750)
      #expect(try host.mode("tree/sub/file") == 0o640)
      #expect(try await host.plan(module).isEmpty)
    }
  }

  @Test func `state file on a missing path fails and creates nothing`() async throws {
    try await withLocalHost { host in
      await #expect(throws: ModuleError.self) {
        try await host.apply(File(path: host.path("missing"), state: .file, mode: "0600"))
      }
      #expect(!host.exists("missing"))
    }
  }

  /// Modules that would all change something in a directory holding `file` (0644), `dir/`
  /// and `dir/inner`.
  static let changing: [@Sendable (LocalHostHarness) -> File] = [
    { File(path: $0.path("new/nested"), state: .directory, mode: "0700") },
    { File(path: $0.path("file"), mode: "0600") },
    { File(path: $0.path("file"), state: .touch) },
    { File(path: $0.path("new-file"), state: .touch, mode: "0600") },
    { File(path: $0.path("dir"), state: .absent) },
    { File(path: $0.path("link"), state: .link, source: "file") },
    { File(path: $0.path("dir"), state: .directory, mode: "0700", recurse: true) },
  ]

  @Test(arguments: 0..<changing.count)
  func `check mode leaves the tree byte for byte identical`(index: Int) async throws {
    try await withLocalHost { host in
      try await host.apply(File(path: host.path("dir"), state: .directory, mode: "0755"))
      try await host.apply(File(path: host.path("dir/inner"), state: .touch, mode: "0644"))
      try await host.apply(File(path: host.path("file"), state: .touch, mode: "0644"))
      let before = try host.snapshot()
      let plan = try await host.plan(Self.changing[index](host), checkMode: true)
      #expect(!plan.isEmpty)
      #expect(try host.snapshot() == before)
    }
  }
}
