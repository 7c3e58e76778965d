import Engine
import Foundation
import Testing

@testable import Connections

/// `LocalConnection` on this machine, each test in its own temp directory.
struct LocalConnectionTests {
  let local = LocalConnection()

  @Test(arguments: HostileValues.strings)
  func `hostile arguments arrive intact`(value: String) async throws {
    let output = try await local.run(["printf", "%s", value])
    #expect(output == CommandOutput(exitCode: 0, stdout: value))
  }

  @Test func `environment, directory and stdin reach the command`() async throws {
    try await withTemporaryDirectory { directory in
      let command = Command(
        ["sh", "-c", "pwd; printf '%s|' \"$GREETING\"; cat"], input: Data("in put\n".utf8),
        environment: ["GREETING": "hi $(there) `x`"], directory: directory)
      let output = try await local.run(command)
      #expect(output.stdout == directory + "\nhi $(there) `x`|in put\n")
    }
  }

  @Test func `large output on both streams does not deadlock`() async throws {
    let output = try await local.run([
      "sh", "-c", "head -c 5000000 /dev/zero; head -c 5000000 /dev/zero >&2; exit 7",
    ])
    #expect(output.exitCode == 7)
    #expect(output.standardOutput.count == 5_000_000)
    #expect(output.standardError.count == 5_000_000)
  }

  @Test func `a program that ignores a large stdin does not kill the runner`() async throws {
    let input = Data(repeating: 65, count: 4_000_000)
    let output = try await local.run(Command(["true"], input: input))
    #expect(output.exitCode == 0)
  }

  @Test func `a missing program exits 127 as in a shell`() async throws {
    let output = try await local.run(["runner-no-such-program-\(UUID().uuidString)"])
    #expect(output.exitCode == 127)
    #expect(output.stderr.contains("command not found"))
  }

  @Test func `read tells a missing file from an empty one`() async throws {
    try await withTemporaryDirectory { directory in
      _ = FileManager.default.createFile(atPath: directory + "/empty", contents: Data())
      try FileManager.default.createSymbolicLink(
        atPath: directory + "/dangling", withDestinationPath: directory + "/nowhere")
      let empty = try await local.read(HostPath(directory + "/empty"))
      let missing = try await local.read(HostPath(directory + "/missing"))
      let dangling = try await local.read(HostPath(directory + "/dangling"))
      let throughFile = try await local.read(HostPath(directory + "/empty/child"))
      #expect(empty == Data())
      #expect(missing == nil)
      #expect(dangling == nil)
      #expect(throughFile == nil)
      await #expect(throws: ModuleError.self) { try await local.read(HostPath(directory)) }
    }
  }

  @Test(arguments: HostileValues.fileNames)
  func `hostile file names and contents are written and read back`(name: String) async throws {
    try await withTemporaryDirectory { directory in
      let path = HostPath(directory).appending(name)
      let contents = Data(("content of " + name + "\n" + HostileValues.strings.joined()).utf8)
      try await local.write(FileWrite(contents, to: path, mode: 0o600))
      let read = try await local.read(path)
      #expect(read == contents)
      #expect(try LocalTree.mode(of: path.rawValue) == 0o600)
      #expect(try LocalTree.names(in: directory) == [name])
    }
  }

  @Test func `a write sets an explicit mode exactly, whatever the umask`() async throws {
    try await withTemporaryDirectory { directory in
      for mode: FileMode in [0o600, 0o644, 0o755, 0o4750, 0o000] {
        let path = directory + "/file-\(mode)"
        try await local.write(FileWrite(Data("x".utf8), to: HostPath(path), mode: mode))
        #expect(try LocalTree.mode(of: path) == Int(mode.bits))
      }
    }
  }

  @Test func `an existing file keeps its mode when none is given`() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/kept"
      _ = FileManager.default.createFile(
        atPath: path, contents: Data("a".utf8), attributes: [.posixPermissions: 0o751])
      try await local.write(FileWrite(Data("b".utf8), to: HostPath(path)))
      #expect(try LocalTree.mode(of: path) == 0o751)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "b")
    }
  }

  @Test func `owner and group are set by name`() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/owned"
      let user = ProcessInfo.processInfo.userName
      let group = try await local.run(["id", "-gn"]).stdout.trimmed
      try await local.write(FileWrite(Data(), to: HostPath(path), owner: user, group: group))
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      #expect(attributes[.ownerAccountName] as? String == user)
      #expect(attributes[.groupOwnerAccountName] as? String == group)
    }
  }

  @Test func `an unknown owner fails and leaves nothing behind`() async throws {
    try await withTemporaryDirectory { directory in
      let write = FileWrite(
        Data("x".utf8), to: HostPath(directory + "/f"), owner: "runner-no-such-user")
      await #expect(throws: ModuleError.self) { try await local.write(write) }
      let names = try LocalTree.names(in: directory)
      #expect(names.isEmpty)
    }
  }

  @Test func `a missing parent directory is an error`() async throws {
    try await withTemporaryDirectory { directory in
      let error = await #expect(throws: ModuleError.self) {
        try await local.write(FileWrite(Data(), to: HostPath(directory + "/missing/file")))
      }
      #expect(error?.message == "Destination directory \(directory)/missing does not exist")
    }
  }

  @Test func `a failed validation leaves the destination untouched`() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/checked.conf"
      try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
      let write = FileWrite(
        Data("new\n".utf8), to: HostPath(path),
        validate: ["sh", "-c", "echo rejecting \"$1\"; echo bad >&2; exit 4", "sh", "%s"])
      let error = await #expect(throws: ValidationFailed.self) { try await local.write(write) }
      #expect(error?.output.exitCode == 4)
      #expect(error?.output.stdout.hasPrefix("rejecting \(directory)/.runner.") == true)
      #expect(error?.output.stderr == "bad\n")
      #expect(error?.description.hasPrefix("failed to validate \(path)") == true)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
      #expect(try LocalTree.names(in: directory) == ["checked.conf"])
    }
  }

  @Test func `a passing validation sees the new content at the temp path`() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/ok.conf"
      let write = FileWrite(
        Data("valid\n".utf8), to: HostPath(path), validate: ["grep", "-q", "valid", "%s"])
      try await local.write(write)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "valid\n")
    }
  }

  @Test func `a batch answers files and commands in order`() async throws {
    try await withTemporaryDirectory { directory in
      try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/present"))
      let answers = try await local.answer([
        .file(HostPath(directory + "/present")), .file(HostPath(directory + "/absent")),
        .command(["sh", "-c", "printf out; printf err >&2; exit 3"]),
      ])
      #expect(
        answers == [
          .file(Data("hello".utf8)), .file(nil),
          .command(CommandOutput(exitCode: 3, stdout: "out", stderr: "err")),
        ])
    }
  }

  @Test func `every operation counts as one round trip`() async throws {
    try await withTemporaryDirectory { directory in
      let path = HostPath(directory + "/counted")
      try await local.write(FileWrite(Data(), to: path))
      _ = try await local.read(path)
      _ = try await local.run(["true"])
      _ = try await local.answer([.file(path), .command(["true"])])
      #expect(local.roundTrips == 4)
    }
  }
}

/// Runs `body` with a fresh private directory (its real path, symlinks resolved), removed
/// afterwards.
func withTemporaryDirectory(_ body: (String) async throws -> Void) async throws {
  let base = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
  let directory = base.appending(path: "runner-test-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: directory) }
  try await body(directory)
}
