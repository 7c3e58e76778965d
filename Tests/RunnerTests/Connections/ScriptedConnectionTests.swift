import Connections
import Engine
import Foundation
import Testing

/// A transport that can only run programs writes its `ArgvChannel` and nothing more: reads,
/// writes, commands, probe batches and the round-trip count come from `ScriptedConnection`.
/// This file imports `Connections` as any other target would (not `@testable`), so it proves
/// the seam is public.
@Suite struct ScriptedConnectionTests {
  /// Runs each argv on this machine, as a transport would on its host.
  struct ThisMachineChannel: ArgvChannel {
    let counter = RoundTripCounter()

    func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
      counter.increment()
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = arguments
      let output = Pipe()
      let errors = Pipe()
      let stdin = Pipe()
      process.standardOutput = output
      process.standardError = errors
      process.standardInput = stdin
      try process.run()
      stdin.fileHandleForWriting.write(input ?? Data())
      try stdin.fileHandleForWriting.close()
      let printed = output.fileHandleForReading.readDataToEndOfFile()
      let said = errors.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return CommandOutput(
        exitCode: process.terminationStatus, standardOutput: printed, standardError: said)
    }

    func hold(_ arguments: [String]) throws -> HeldProcess {
      counter.increment()
      return try HeldProcess(["/usr/bin/env"] + arguments)
    }
  }

  struct ThisMachineConnection: ScriptedConnection {
    let scriptedHost = ScriptedHost(channel: ThisMachineChannel())
  }

  @Test func `a channel alone gives reads, writes, commands and probe batches`() async throws {
    let directory = try TemporaryDirectory()
    let connection = ThisMachineConnection()
    let path = HostPath(directory.path("motd"))
    try await connection.write(FileWrite(Data("hello\n".utf8), to: path, mode: 0o640))
    #expect(try await connection.read(path) == Data("hello\n".utf8))
    #expect(try await connection.read(HostPath(directory.path("absent"))) == nil)
    #expect(try await connection.run(["echo", "it's", "ok"]).stdout == "it's ok\n")
    let answers = try await connection.answer([.file(path), .command(["printf", "%s", "x"])])
    #expect(
      answers == [
        .file(Data("hello\n".utf8)),
        .command(CommandOutput(exitCode: 0, stdout: "x")),
      ])
    #expect(
      try FileManager.default.attributesOfItem(atPath: path.rawValue)[.posixPermissions] as? Int
        == 0o640)
    // One program per operation: write, two reads, a command, one batch of two probes.
    #expect(connection.roundTrips == 5)
    #expect(connection.prefetchesAgainAfterChanges)
  }
}
