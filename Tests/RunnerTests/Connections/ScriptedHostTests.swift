import Engine
import Foundation
import Testing

@testable import Connections

/// The fixed scripts ssh hosts use for reads, writes and probe batches, run here by the local
/// `sh` (argv straight to a process, as sshd would hand it over): the framing and the quoting
/// are checked without a server.
struct ScriptedHostTests {
  /// Runs argv on this machine: what the far side of ssh does with it.
  struct DirectChannel: ArgvChannel {
    func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
      try await ProcessRunner().run(arguments, input: input)
    }
    func hold(_ arguments: [String]) throws -> HeldProcess { try HeldProcess(arguments) }
    let counter = RoundTripCounter()
  }

  /// Runs argv the way ssh does: quoted, joined, and parsed again by a shell.
  struct QuotingChannel: ArgvChannel {
    func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
      try await ProcessRunner().run(
        ["sh", "-c", RemoteShellQuoting.commandLine(arguments)], input: input)
    }
    func hold(_ arguments: [String]) throws -> HeldProcess {
      try HeldProcess(["sh", "-c", RemoteShellQuoting.commandLine(arguments)])
    }
    let counter = RoundTripCounter()
  }

  /// Runs argv on this machine but delivers only the first half of stdin, then ends it: what
  /// the script sees when the runner is killed or the ssh connection drops mid-upload.
  struct HalfInputChannel: ArgvChannel {
    func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
      try await ProcessRunner().run(arguments, input: input.map { $0.prefix($0.count / 2) })
    }
    func hold(_ arguments: [String]) throws -> HeldProcess { try HeldProcess(arguments) }
    let counter = RoundTripCounter()
  }

  let direct = ScriptedHost(channel: DirectChannel())
  let quoted = ScriptedHost(channel: QuotingChannel())

  @Test(arguments: HostileValues.strings)
  func `quoted arguments survive a shell`(value: String) async throws {
    let output = try await quoted.run(["printf", "%s", value])
    #expect(output.stdout == value)
  }

  @Test func `quoting matches the documented form`() {
    #expect(RemoteShellQuoting.quote("it's") == #"'it'\''s'"#)
    #expect(RemoteShellQuoting.quote("") == "''")
    #expect(RemoteShellQuoting.commandLine(["a b", "$x"]) == "'a b' '$x'")
  }

  @Test(arguments: HostileValues.fileNames)
  func `a write then a read round-trip any name and content`(name: String) async throws {
    try await withTemporaryDirectory { directory in
      let path = HostPath(directory).appending(name)
      let contents = Data(HostileValues.strings.joined(separator: "\0").utf8)
      try await quoted.write(FileWrite(contents, to: path, mode: 0o640))
      let read = try await quoted.read(path)
      #expect(read == contents)
      #expect(try LocalTree.mode(of: path.rawValue) == 0o640)
      #expect(try LocalTree.names(in: directory) == [name])
    }
  }

  @Test func `a new file without a mode gets the umask default`() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/plain"
      let umask = try await direct.run(["sh", "-c", "umask"]).stdout.trimmed
      try await direct.write(FileWrite(Data("x".utf8), to: HostPath(path)))
      let expected = 0o666 & ~(Int(umask, radix: 8) ?? 0o022)
      #expect(try LocalTree.mode(of: path) == expected)
    }
  }

  @Test func `validate gets every %s replaced by the temp path`() async throws {
    try await withTemporaryDirectory { directory in
      let path = HostPath(directory + "/v.conf")
      let validate: Command = [
        "sh", "-c", "test \"$1\" = \"$2\" && grep -q ok \"$1\"", "sh", "%s", "%s",
      ]
      try await direct.write(FileWrite(Data("ok".utf8), to: path, validate: validate))
      #expect(try String(contentsOfFile: path.rawValue, encoding: .utf8) == "ok")
    }
  }

  @Test func `a failed validation reports the validator's status and output`() async throws {
    try await withTemporaryDirectory { directory in
      let path = HostPath(directory + "/v.conf")
      let validate: Command = ["sh", "-c", "printf 'line1\\nline2'; exit 9"]
      let error = await #expect(throws: ValidationFailed.self) {
        try await direct.write(FileWrite(Data("x".utf8), to: path, validate: validate))
      }
      #expect(error?.output.exitCode == 9)
      #expect(error?.output.stdout == "line1\nline2")
      let names = try LocalTree.names(in: directory)
      #expect(names.isEmpty)
    }
  }

  @Test func `a write whose input stops early leaves the old file and no temp file`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let path = HostPath(directory + "/app.conf")
      try Data("old contents\n".utf8).write(to: URL(fileURLWithPath: path.rawValue))
      let host = ScriptedHost(channel: HalfInputChannel())
      let contents = Data(repeating: 0x6E, count: 64 * 1024)
      let error = await #expect(throws: ModuleError.self) {
        try await host.write(FileWrite(contents, to: path, mode: 0o600))
      }
      #expect(
        error?.description.contains("received 32768 of 65536 bytes") == true,
        "\(String(describing: error))")
      #expect(try String(contentsOfFile: path.rawValue, encoding: .utf8) == "old contents\n")
      #expect(try LocalTree.names(in: directory) == ["app.conf"])
    }
  }

  @Test func `a batch keeps order and tells every kind of answer apart`() async throws {
    try await withTemporaryDirectory { directory in
      let binary = Data((0...255).map { UInt8($0) })
      try binary.write(to: URL(fileURLWithPath: directory + "/binary"))
      _ = FileManager.default.createFile(atPath: directory + "/empty", contents: Data())
      let answers = try await quoted.answer([
        .file(HostPath(directory + "/binary")), .file(HostPath(directory + "/empty")),
        .file(HostPath(directory + "/missing")), .command(["sh", "-c", "exit 5"]),
        .command(Command(["cat"], input: binary)), .command(["runner-no-such-program"]),
      ])
      #expect(answers.count == 6)
      #expect(answers[0] == .file(binary))
      #expect(answers[1] == .file(Data()))
      #expect(answers[2] == .file(nil))
      #expect(answers[3] == .command(CommandOutput(exitCode: 5)))
      #expect(answers[4] == .command(CommandOutput(exitCode: 0, standardOutput: binary)))
      guard case .command(let missing) = answers[5] else { return }
      #expect(missing.exitCode == 127)
    }
  }

  /// Commands run one after the other, in the order asked, none of them reading the
  /// batch's own input, each output kept apart: a command's error and its exit status too.
  @Test func `the commands of a batch run in order, each with its own outputs`() async throws {
    try await withTemporaryDirectory { directory in
      let log = directory + "/log"
      let answers = try await quoted.answer([
        .command(["sh", "-c", "sleep 0.2; echo first >>\"$1\"; echo out; echo err >&2", "sh", log]),
        .command(["sh", "-c", "echo second >>\"$1\"; printf 'no newline'; exit 3", "sh", log]),
        .command(["sh", "-c", "cat; printf 'e1\\n\\ne2\\n\\n' >&2", "sh"]),
      ])
      #expect(
        answers == [
          .command(CommandOutput(exitCode: 0, stdout: "out\n", stderr: "err\n")),
          .command(CommandOutput(exitCode: 3, stdout: "no newline")),
          .command(CommandOutput(exitCode: 0, stdout: "", stderr: "e1\n\ne2\n")),
        ])
      #expect(try String(contentsOfFile: log, encoding: .utf8) == "first\nsecond\n")
    }
  }

  @Test func `a batch of many commands and files keeps its order`() async throws {
    try await withTemporaryDirectory { directory in
      try Data("f".utf8).write(to: URL(fileURLWithPath: directory + "/f"))
      let count = 97
      let probes: [HostRead] = (0..<count).map { index in
        index % 3 == 0
          ? .file(HostPath(directory + "/f"))
          : .command(["sh", "-c", "sleep 0.0$(( $1 % 7 )); echo $1", "sh", String(index)])
      }
      let answers = try await quoted.answer(probes)
      let expected: [ReadAnswer] = (0..<count).map { index in
        index % 3 == 0
          ? .file(Data("f".utf8))
          : .command(CommandOutput(exitCode: 0, stdout: "\(index)\n"))
      }
      #expect(answers == expected)
    }
  }

  /// The shell holding a run lock in `directory` (its lock and owner files there), quoted as
  /// ssh would pass it.
  static func lockShell(in directory: String) async throws -> HeldProcess {
    var script = HostLockScript(mode: .exclusive, run: "test-run", timeout: 0)
    script.lockFile = directory + "/lock"
    script.ownerFile = directory + "/owner"
    return try await script.take(try QuotingChannel().hold(script.arguments)) {}
  }

  @Test func `the shell holding the run lock answers batches as a batch of its own would`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let shell = try await Self.lockShell(in: directory)
      let binary = Data((0...255).map { UInt8($0) }) + Data("\n@runner- status 0\n".utf8)
      try binary.write(to: URL(fileURLWithPath: directory + "/binary"))
      // Values that a line protocol could mistake: newlines, the protocol's own prefixes, a
      // line that is a lone dot, blanks and backslashes, an empty argument.
      let hostile = HostileValues.strings + ["a\n.\n+b\n", ".", "", "  lead\\n\\", "+", "a"]
      var probes: [HostRead] = [.file(HostPath(directory + "/binary")), .file("/nonexistent/x")]
      probes += hostile.map { .command(["printf", "%s", $0]) }
      // A command reading its input must not eat the next request.
      probes.append(.command(["cat"]))
      probes.append(.command(Command(["cat"], input: Data("given\n".utf8))))
      for _ in 0..<3 {
        let script = PrefetchScript(probes: probes)
        let own = try script.interpret(
          try await ProcessRunner().run(
            ["sh", "-c", RemoteShellQuoting.commandLine(script.arguments)]))
        let output = try #require(try await HeldBatches.answer(script, on: shell))
        #expect(output.exitCode == 0, "\(output.stderr)")
        let held = try script.interpret(output)
        #expect(held == own)
        #expect(held.first == .file(binary))
        #expect(held[held.count - 2] == .command(CommandOutput(exitCode: 0)))
      }
      await shell.release()
      let after = PrefetchScript(probes: [.file("/nonexistent/x")])
      #expect(try await HeldBatches.answer(after, on: shell) == nil, "asked on its own instead")
    }
  }

  @Test func `a batch that fails in the lock shell fails alone, and the shell goes on`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let shell = try await Self.lockShell(in: directory)
      // Parameters that end before the batch's `--`, in the middle of a command: the batch
      // refuses them and ends, not the shell that holds the lock.
      let boundary = Boundary.make()
      #expect(await shell.send(HeldBatches.request([boundary, "", "5", "echo"])))
      let failed = try #require(
        await shell.output.reply(endingWith: Data("\n\(boundary) status ".utf8)))
      #expect(failed.trailer != "0" && Int(failed.trailer) != nil)
      let next = PrefetchScript(probes: [.command(["echo", "alive"])])
      let answered = try #require(try await HeldBatches.answer(next, on: shell))
      #expect(
        try next.interpret(answered) == [.command(CommandOutput(exitCode: 0, stdout: "alive\n"))])
      await shell.release()
    }
  }

  @Test func `an unreadable file in a batch is an error naming it`() async throws {
    try await withTemporaryDirectory { directory in
      await #expect(throws: ModuleError.self) {
        try await direct.answer([.file(HostPath(directory))])
      }
    }
  }

  @Test func `text printed before the reply by a chatty login shell is ignored`() throws {
    let script = PrefetchScript(probes: [.file("/x")])
    let noise = "Welcome!\n\(script.boundary)x not a marker\n"
    let b = script.boundary
    let reply = noise + "\(b) absent\n\(b) sizes\n\(b) data\n\n\(b) end\n"
    #expect(try script.interpret(CommandOutput(exitCode: 0, stdout: reply)) == [.file(nil)])
  }

  @Test func `a truncated batch reply is an error, not a wrong answer`() throws {
    let script = PrefetchScript(probes: [.file("/x"), .file("/y")])
    let b = script.boundary
    for reply in [
      "\(b) absent\n", "\(b) absent\n\(b) file\n\(b) sizes\n4\n\(b) data\nabc",
      // A file that grew between its size and its read: the end is not where the sizes say.
      "\(b) absent\n\(b) file\n\(b) sizes\n4\n\(b) data\nabcde\n\(b) end\n",
    ] {
      #expect(throws: ModuleError.self) {
        try script.interpret(CommandOutput(exitCode: 0, stdout: reply))
      }
    }
    let whole = "\(b) absent\n\(b) file\n\(b) sizes\n4\n\(b) data\nabcd\n\(b) end\n"
    #expect(
      try script.interpret(CommandOutput(exitCode: 0, stdout: whole)) == [
        .file(nil), .file(Data("abcd".utf8)),
      ])
  }

  @Test func `environment and directory travel as positional parameters`() {
    let command = Command(["env"], environment: ["B": "2", "A": "1 $x"], directory: "/srv")
    let arguments = HostInvocation.arguments(for: command)
    #expect(arguments[0...1] == ["sh", "-c"])
    #expect(Array(arguments[3...]) == ["sh", "/srv", "2", "A=1 $x", "B=2", "env"])
    #expect(HostInvocation.arguments(for: ["plain"]) == ["plain"])
  }
}
