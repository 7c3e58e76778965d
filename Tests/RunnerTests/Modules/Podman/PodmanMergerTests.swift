import Engine
import Foundation
import Modules
import Testing

/// The merged `podman` reads, split from what podman 5.4 printed on a test host.
@Suite struct PodmanMergerTests {
  @Test func `one secret inspect answers every secret, absent ones too`() throws {
    let facts = ["db", "nosuch", "key", "other"].map { PodmanSecretData(name: $0) }
    let merger = PodmanSecretMerger()
    #expect(
      merger.command(answering: facts).arguments == [
        "podman", "secret", "inspect", "--showsecret", "--format",
        "{{.Spec.Name}} {{printf \"%x\" .SecretData}}", "--", "db", "nosuch", "key", "other",
      ])
    let output = CommandOutput(
      exitCode: 125, stdout: "db 64622d5365637233740a00ff\nkey 414b4941\n",
      stderr: "error inspecting secret: no secret with name or id \"other\": no such secret\n"
        + "Error: inspecting secret: no secret with name or id \"nosuch\": no such secret\n")
    let outputs = merger.split(output, answering: facts)
    let values = try zip(facts, outputs).map { try $0.parse(#require($1)) }
    #expect(values == [Data("db-Secr3t\n".utf8) + Data([0, 255]), nil, Data("AKIA".utf8), nil])
  }

  @Test func `a secret podman neither printed nor called missing is read alone`() {
    let facts = ["db", "key"].map { PodmanSecretData(name: $0) }
    let output = CommandOutput(exitCode: 125, stdout: "db 6162\n", stderr: "Error: storage\n")
    let outputs = PodmanSecretMerger().split(output, answering: facts)
    #expect(outputs.count == 2 && outputs[0] != nil && outputs[1] == nil)
  }

  @Test func `one image inspect answers every image in the order asked`() throws {
    let references = [
      "nosuch:1", "localhost/dci-control-server:latest", "docker.io/library/haproxy:3.0",
      "localhost/haproxy:latest",
    ]
    let facts = references.map { PodmanImagePresence(reference: $0) }
    let merger = PodmanImageMerger()
    let output = CommandOutput(
      exitCode: 125, stdout: "d996ab6cf028\n8c6d96159394\n",
      stderr: "docker.io/library/haproxy:3.0: image not known\nError: nosuch:1: image not known\n")
    let values = try zip(facts, merger.split(output, answering: facts)).map {
      try $0.parse(#require($1))
    }
    #expect(values == [false, true, false, true])
    let unexplained = CommandOutput(exitCode: 125, stdout: "d996ab6cf028\n", stderr: "Error: x\n")
    #expect(merger.split(unexplained, answering: Array(facts.prefix(2))).isEmpty)
  }
}
