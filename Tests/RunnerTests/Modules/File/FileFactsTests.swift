import Engine
import Foundation
import Modules
import Testing

/// The file facts' parsers on output captured from real GNU `stat`, `find` and `readlink`
/// (`Fixtures/files/`): no host needed.
struct FileFactsTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "Fixtures/files")

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appending(path: name))
  }

  static func found(_ name: String) throws -> CommandOutput {
    CommandOutput(exitCode: 0, standardOutput: try fixture(name))
  }

  static func failed(_ name: String) throws -> CommandOutput {
    CommandOutput(exitCode: 1, standardError: try fixture(name))
  }

  @Test func `stat of a file, a directory and a link`() throws {
    let fact = FileStatus(of: "/tmp/fx/x")
    #expect(try fact.parse(Self.found("stat-file.txt")) == .file(0o640))
    #expect(try fact.parse(Self.found("stat-directory.txt")) == .directory(0o2750))
    #expect(try fact.parse(Self.found("stat-link.txt")) == .link)
  }

  @Test(arguments: ["stat-missing.stderr.txt", "stat-not-a-directory.stderr.txt"])
  func `stat of a path that is not there is nil`(fixture: String) throws {
    #expect(try FileStatus(of: "/tmp/fx/x").parse(Self.failed(fixture)) == nil)
  }

  @Test func `stat that is refused is an error naming the path`() throws {
    let error = #expect(throws: ModuleError.self) {
      try FileStatus(of: "/tmp/fx/locked/x").parse(Self.failed("stat-permission-denied.stderr.txt"))
    }
    #expect(error?.message.hasPrefix("cannot inspect /tmp/fx/locked/x:") == true)
    #expect(error?.message.contains("Permission denied") == true)
  }

  @Test func `stat runs in the C locale and does not follow links unless asked`() {
    #expect(
      FileStatus(of: "/a b").command
        == Command(
          ["stat", "-c", "%f|%u|%g|%U|%G", "--", "/a b"], environment: ["LC_ALL": "C"]))
    #expect(FileStatus(of: "/a", followingLinks: true).command.arguments[1] == "-L")
  }

  @Test func `find output parses any name, newlines and bars included`() throws {
    let entries = try DirectoryTree(of: "/tmp/fx/tree").parse(Self.found("find-tree.bin"))
    #expect(
      entries.map(\.path) == ["/tmp/fx/tree/link", "/tmp/fx/tree/sub", "/tmp/fx/tree/sub/a|b\nc"])
    #expect(entries.map(\.status.kind) == [.link, .directory, .file])
    #expect(entries.map(\.status.mode) == [0o777, 0o2750, 0o600])
  }

  @Test func `readlink keeps the target exactly, minus the final newline`() throws {
    let output = CommandOutput(exitCode: 0, stdout: "releases/ 2\n")
    #expect(try LinkTarget(of: "/srv/current").parse(output) == "releases/ 2")
  }
}
