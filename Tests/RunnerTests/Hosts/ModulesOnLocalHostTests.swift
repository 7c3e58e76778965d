import Engine
import Foundation
import Testing

/// The modules that make sense on this machine (its PID 1 is not systemd, so `systemd`,
/// `systemd_instances` and `podman_image` are covered over ssh only), through
/// `LocalConnection` in a temp directory, driven by `PlaybookRunner` exactly as over ssh:
/// the same scenarios as `ModulesOnBootedHostTests`.
struct ModulesOnLocalHostTests {
  @Test func `template locally: validate, backup, mode and owner, check mode with diffs`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      try await FileModuleScenarios.template(on: .local(root: directory + "/template"))
    }
  }

  @Test func `copy locally: content and src, force, mode drift, validate, backup, check mode`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      try await FileModuleScenarios.copy(on: .local(root: directory + "/copy"))
    }
  }

  @Test func `file locally: directory, touch, link, absent, symbolic mode, check mode`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      try await FileModuleScenarios.file(on: .local(root: directory + "/file"))
    }
  }

  @Test func `command locally: creates, removes, stdin, environment, check mode`() async throws {
    try await withTemporaryDirectory { directory in
      try await FileModuleScenarios.command(on: .local(root: directory + "/command"))
    }
  }

  /// Locally, every read of an unchanged play is asked at once, in one batch (its probes run
  /// concurrently); after a change the next steps read for themselves, since a local read is
  /// no round trip and asking for all the rest again would cost more.
  @Test func `an unchanged local play is read in one batch, a changed one lazily after it`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let host = HostTarget.local(root: directory)
      func tasks(changing changed: Int? = nil) -> [JSONValue] {
        (0..<6).map { (number: Int) -> JSONValue in
          task(
            "file \(number)", "template",
            [
              "content": .string(number == changed ? "changed \(number)\n" : "line \(number)\n"),
              "dest": .string("{{ root }}/f\(number)"), "mode": "0640",
            ])
        }
      }
      let first = try await host.run(tasks())
      #expect(first.changed == 6, "\(first.failures)")
      let unchanged = try await host.run(tasks())
      #expect(unchanged.changed == 0)
      #expect(unchanged.stats.roundTrips == 1 + 1)  // the host's run lock, then the batch
      // The batch, the write, then each of the two later steps' own reads: its file and,
      // since it gives a mode, the file's status.
      let one = try await host.run(tasks(changing: 3))
      #expect(one.changedSteps == ["file 3"])
      #expect(one.stats.roundTrips == 1 + 1 + 1 + 2 * 2)  // and the lock
      #expect(try String(contentsOfFile: directory + "/f3", encoding: .utf8) == "changed 3\n")
    }
  }

  @Test func `podman_quadlet locally: unit files written once, comments ignored, check mode`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let host = HostTarget.local(root: directory)
      func tasks(greeting: String) -> [JSONValue] {
        [
          task(
            "network", "podman_quadlet",
            ["name": "web", "directory": "{{ root }}", "network": ["network_name": "web"]]),
          task(
            "container", "podman_quadlet",
            [
              "name": "web", "directory": "{{ root }}", "mode": "0640",
              "container": [
                "image": "localhost/web-standin:latest", "network": ["web.network"],
                "environment": ["GREETING": .string(greeting)],
              ],
            ]),
        ]
      }
      let first = try await host.run(tasks(greeting: "hello"))
      #expect(first.changedSteps == ["network", "container"], "\(first.failures)")
      #expect(try host.text(directory + "/web.network").contains("\nNetworkName=web\n"))
      #expect(try host.text(directory + "/web.container").contains("\nNetwork=web.network\n"))
      #expect(try host.stat(directory + "/web.container").hasPrefix("640 "))
      #expect(first.result("container").values["service"] == "web.service")
      #expect(first.result("network").values["service"] == "web-network.service")

      // A comment someone added is not a change: the file is left as it is.
      try host.sh(#"printf '# note from an operator\n' >> "$1""#, directory + "/web.container")
      let edited = try host.fingerprint([directory])
      #expect(try await host.run(tasks(greeting: "hello")).changed == 0)
      #expect(try host.fingerprint([directory]) == edited)

      let check = try await host.run(tasks(greeting: "bonjour"), checkMode: true)
      #expect(check.changedSteps == ["container"])
      let diff = try #require(check.result("container").diffs.first)
      #expect(diff.before.contains("Environment=GREETING=hello\n"))
      #expect(diff.after.contains("Environment=GREETING=bonjour\n"))
      #expect(try host.fingerprint([directory]) == edited)
    }
  }

  @Test func `podman_quadlet_instances locally: links made once, check mode predicts more`()
    async throws
  {
    try await withTemporaryDirectory { directory in
      let host = HostTarget.local(root: directory)
      func links(_ count: Int) -> [JSONValue] {
        [
          task(
            "template", "podman_quadlet",
            [
              "name": "web@", "directory": "{{ root }}",
              "container": ["image": "localhost/web-standin:latest"],
            ]),
          task(
            "links", "podman_quadlet_instances",
            ["template": "web@.container", "count": .int(count), "directory": "{{ root }}"]),
        ]
      }
      let first = try await host.run(links(2))
      #expect(first.changedSteps == ["template", "links"], "\(first.failures)")
      #expect(try host.exec(["readlink", directory + "/web@1.container"]) == "web@.container\n")
      #expect(try await host.run(links(2)).changed == 0)

      let before = try host.fingerprint([directory])
      let check = try await host.run(links(3), checkMode: true)
      #expect(
        check.result("links").changes == ["link \(directory)/web@2.container -> web@.container"])
      #expect(check.result("links").diffs.first?.after == "-> web@.container\n")
      #expect(try host.fingerprint([directory]) == before)
    }
  }
}
