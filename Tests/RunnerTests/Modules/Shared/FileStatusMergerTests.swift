import Connections
import Engine
import Foundation
import Modules
import Testing

/// The merged `stat` against the real `sh` and `stat` of this machine: for every kind of path
/// each fact's answer, split from the one merged call, parses as its own `stat` call's does.
@Suite struct FileStatusMergerTests {
  @Test func `one stat answers every path as its own stat would`() async throws {
    let directory = try TemporaryDirectory()
    try directory.write("file", "x")
    try FileManager.default.createDirectory(
      atPath: directory.path("dir"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: directory.path("link"), withDestinationPath: directory.path("file"))
    try FileManager.default.createSymbolicLink(
      atPath: directory.path("dangling"), withDestinationPath: directory.path("nothing"))
    let paths = ["file", "dir", "link", "dangling", "missing", "no/such/dir/x", "file/under"]
    let facts = paths.flatMap { name in
      [false, true].map { FileStatus(of: HostPath(directory.path(name)), followingLinks: $0) }
    }
    let local = LocalConnection()
    let merger = FileStatusMerger()
    let merged = try await local.run(merger.command(answering: facts))
    let outputs = merger.split(merged, answering: facts)
    #expect(outputs.count == facts.count)
    for (fact, output) in zip(facts, outputs) {
      let name = "\(fact.path.rawValue), following links: \(fact.followsLinks)"
      let own = try fact.parse(try await local.run(fact.command))
      let split = try #require(output, Comment(rawValue: name))
      #expect(try fact.parse(split) == own, Comment(rawValue: name))
    }
    #expect(try facts[4].parse(#require(outputs[4]))?.kind == .link, "a link, itself")
    #expect(try facts[5].parse(#require(outputs[5]))?.kind == .file, "a link, followed")
  }

  @Test func `an output that does not add up answers nothing, so each fact is read alone`() {
    let facts = [FileStatus(of: "/a"), FileStatus(of: "/b")]
    let merger = FileStatusMerger()
    // Two paths said to exist, one line of `stat`: a path vanished between test and stat.
    let short = CommandOutput(exitCode: 0, stdout: "e\ne\n81a4|0|0|root|root\n")
    #expect(merger.split(short, answering: facts).isEmpty)
    let failed = CommandOutput(exitCode: 1, stdout: "e\ne\n81a4|0|0|root|root\n", stderr: "gone")
    #expect(merger.split(failed, answering: facts).isEmpty)
    let unknown = CommandOutput(exitCode: 0, stdout: "u\nx\n")
    let outputs = merger.split(unknown, answering: facts)
    #expect(outputs.count == 2 && outputs[0] == nil && outputs[1]?.exitCode == 1)
  }
}
