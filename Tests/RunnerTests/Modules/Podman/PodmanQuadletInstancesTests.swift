import Engine
import Foundation
import Modules
import Testing

@testable import Connections

/// `podman_quadlet_instances` and its `QuadletInstanceLinks` fact on a fake host: which links
/// it makes and removes, by name as written, and never a link to a template that is not there.
@Suite struct PodmanQuadletInstancesTests {
  static let directory: HostPath = "/etc/containers/systemd"
  static let template = "web@.container"

  /// Plans `count` instances where the links fact lists `links` (`name -> target`) and the
  /// template file exists or not.
  static func plan(
    count: Int, links listed: [String], templateExists: Bool = true, checkMode: Bool = false
  ) async throws -> Plan {
    let links = QuadletInstanceLinks(directory: directory, template: template).command
    let host = FakeHost(readOnlyPrefixes: [links.arguments, ["stat"]])
    host.respond(
      to: links.arguments,
      stdout: listed.map { $0.replacingOccurrences(of: " -> ", with: "\t") + "\n" }.joined())
    if templateExists {
      host.respond(to: ["stat"], stdout: "81a4|0|0|root|root\n")
    } else {
      host.respond(
        to: ["stat"], exitCode: 1,
        stderr: "stat: cannot statx '\(directory)/\(template)': No such file or directory\n")
    }
    let context = PlanContext(
      host: InventoryHost(name: "h1"), isCheckMode: checkMode,
      reader: HostReader(connection: host))
    let plan = try await PodmanQuadletInstances(template: template, count: count)
      .plan(in: context)
    #expect(host.mutations.isEmpty)
    return plan
  }

  struct Example: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var count: Int
    var links: [String]
    var commands: [[String]]
  }

  static let examples: [Example] = [
    Example(
      testDescription: "none yet: one link per instance", count: 2, links: [],
      commands: [
        ["ln", "-sfn", "--", template, "\(directory)/web@0.container"],
        ["ln", "-sfn", "--", template, "\(directory)/web@1.container"],
      ]),
    Example(
      testDescription: "all there: nothing", count: 2,
      links: ["web@0.container -> web@.container", "web@1.container -> web@.container"],
      commands: []),
    Example(
      testDescription: "a link elsewhere is pointed at the template", count: 1,
      links: ["web@0.container -> old@.container"],
      commands: [["ln", "-sfn", "--", template, "\(directory)/web@0.container"]]),
    Example(
      testDescription: "scaled down: the rest removed in one command, then daemon-reload",
      count: 1,
      links: [
        "web@0.container -> web@.container", "web@10.container -> web@.container",
        "web@2.container -> web@.container",
      ],
      commands: [
        ["rm", "-f", "--", "\(directory)/web@2.container", "\(directory)/web@10.container"],
        ["systemctl", "daemon-reload"],
      ]),
    Example(
      testDescription: "a stray @01 is another instance, removed by its own name", count: 2,
      links: [
        "web@0.container -> web@.container", "web@01.container -> web@.container",
        "web@1.container -> web@.container",
      ],
      commands: [
        ["rm", "-f", "--", "\(directory)/web@01.container"], ["systemctl", "daemon-reload"],
      ]),
    Example(
      testDescription: "a named instance is not ours to remove", count: 0,
      links: ["web@blue.container -> web@.container"], commands: []),
  ]

  @Test(arguments: examples)
  func `links the instances and removes every other numbered link`(_ example: Example)
    async throws
  {
    let plan = try await Self.plan(count: example.count, links: example.links)
    #expect(plan.steps == example.commands)
    // Nothing left to do once applied: the same plan is idempotent by construction when
    // the host lists exactly the wanted links.
    if example.commands.isEmpty { #expect(plan.isEmpty) }
  }

  @Test func `a removal shows the removed links in its diff`() async throws {
    let plan = try await Self.plan(
      count: 1,
      links: ["web@0.container -> web@.container", "web@1.container -> web@.container"])
    let diff = try #require(plan.changes.first?.diff)
    #expect(diff.before == "web@1.container -> web@.container\n")
    #expect(diff.after == "")
    #expect(diff.beforeHeader == Self.directory.rawValue)
  }

  @Test func `linking to a template that does not exist fails, or is predicted in check mode`()
    async throws
  {
    let error = await #expect(throws: ModuleError.self) {
      try await Self.plan(count: 1, links: [], templateExists: false)
    }
    #expect(
      error?.message.contains("template \(Self.directory)/\(Self.template) does not exist") == true)
    let predicted = try await Self.plan(
      count: 1, links: [], templateExists: false, checkMode: true)
    #expect(predicted.steps.count == 1)
    #expect(predicted.note?.hasSuffix("(yet)") == true)
    // Removing links needs no template.
    let removal = try await Self.plan(
      count: 0, links: ["web@0.container -> web@.container"], templateExists: false)
    #expect(removal.steps.first?.first == "rm")
  }

  @Test func `the links fact parses its lines, keeping instances of its template only`() throws {
    let fact = QuadletInstanceLinks(directory: Self.directory, template: Self.template)
    #expect(fact.command.environment == ["LC_ALL": "C"])
    let links = try fact.parse(
      CommandOutput(
        exitCode: 0,
        stdout: "web@0.container\tweb@.container\nweb@1.container\tother@.container\n"
          + "other@0.container\tother@.container\nweb@.container\tx\n"))
    #expect(links == ["0": "web@.container", "1": "other@.container"])
    #expect(throws: CommandFailed.self) {
      try fact.parse(CommandOutput(exitCode: 2, stdout: "", stderr: "sh: Permission denied\n"))
    }
  }

  /// The fact's own command and the same read merged with a `FileStatus` (one process), run
  /// by this machine's shell on real links: the same answer, the template by any path.
  @Test func `the links are found by the shell alone and merged with file statuses alike`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let manager = FileManager.default
      _ = manager.createFile(atPath: directory + "/web@.container", contents: Data())
      _ = manager.createFile(atPath: directory + "/other@.container", contents: Data())
      let links = [
        "web@0.container": "web@.container", "web@1.container": directory + "/web@.container",
        "web@2.container": "other@.container", "web@3.container": "gone@.container",
        "web@4\n.container": "web@.container", "other@0.container": "other@.container",
      ]
      for (name, target) in links {
        try manager.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: target)
      }
      _ = manager.createFile(atPath: directory + "/web@5.container", contents: Data())
      let fact = QuadletInstanceLinks(directory: HostPath(directory), template: Self.template)
      let own = try await ProcessRunner().run(fact.command.arguments)
      #expect(
        try fact.parse(own) == [
          "0": "web@.container", "1": "web@.container", "2": "other@.container",
          "3": "gone@.container",
        ])
      let status = FileStatus(of: HostPath(directory + "/web@.container"), followingLinks: true)
      let missing = QuadletInstanceLinks(directory: HostPath(directory + "/none"), template: "a@.b")
      let facts: [any MergeableFact] = [fact, status, missing]
      let merger = FileStatusMerger()
      let merged = try await ProcessRunner().run(merger.command(answering: facts).arguments)
      let split = merger.split(merged, answering: facts)
      #expect(split.count == 3)
      #expect(split.first == own)
      #expect(try split[1].map(status.parse)??.kind == .file)
      #expect(split.last == CommandOutput(exitCode: 0, stdout: ""))
      #expect(try await ProcessRunner().run(missing.command.arguments) == split.last)
    }
  }
}
