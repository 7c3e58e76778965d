import Engine
import Foundation
import Modules
import Testing

/// The podman modules on the booted host, and every module at once in check mode; part of
/// `ModulesOnBootedHostTests` (same host, same serialized suite).
extension BootedHostSuites.ModulesOnBootedHostTests {
  // MARK: podman

  @Test
  func `podman_image finds an imported image, pulls from the in-host registry, forces, removes`()
    async throws
  {
    let host = try host
    let imported = try await host.run([
      task("imported", "podman_image", ["name": "localhost/web-standin"]),
      task("no pull", "podman_image", ["name": "localhost/web-standin:latest", "pull": false]),
    ])
    #expect(imported.changed == 0, "\(imported.outcomes) \(imported.failures)")
    #expect(
      imported.result("imported").values["note"]
        == .string("localhost/web-standin:latest is present"))

    let reference = "localhost:5000/web-standin:latest"
    _ = try host.status(["podman", "image", "rm", reference])
    #expect(try host.status(["podman", "image", "exists", reference]) == 1)
    func image(_ arguments: [String: JSONValue]) -> [JSONValue] {
      [
        task(
          "registry", "podman_image",
          ["name": "localhost:5000/web-standin"].merging(arguments) { $1 })
      ]
    }
    let images = ["podman", "images", "--all", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"]
    let refused = try await host.run(image(["pull": false]))
    #expect(
      refused.result("registry").message
        == "Image \(reference) not found locally and pull is disabled")

    let before = try host.exec(images)
    let check = try await host.run(image([:]), checkMode: true)
    #expect(check.result("registry").changes == ["pull \(reference)"])
    #expect(try host.exec(images) == before)
    #expect(try host.status(["podman", "image", "exists", reference]) == 1)

    let pulled = try await host.run(image([:]))
    #expect(pulled.changedSteps == ["registry"], "\(pulled.failures)")
    #expect(try host.status(["podman", "image", "exists", reference]) == 0)
    #expect(try await host.run(image([:])).changed == 0)
    let forced = try await host.run(image(["force": true]))
    #expect(forced.result("registry").changes == ["pull \(reference)"], "\(forced.failures)")

    let present = try host.exec(images)
    let wouldRemove = try await host.run(image(["state": "absent"]), checkMode: true)
    #expect(wouldRemove.result("registry").changes == ["remove \(reference)"])
    #expect(try host.exec(images) == present)
    let removed = try await host.run(image(["state": "absent"]))
    #expect(removed.changedSteps == ["registry"])
    #expect(try host.status(["podman", "image", "exists", reference]) == 1)
    #expect(try await host.run(image(["state": "absent"])).changed == 0)
  }

  @Test func `podman_quadlet .network and .container become a running container that answers`()
    async throws
  {
    let host = try host
    let file = "/etc/containers/systemd/rh-web.container"
    func tasks(greeting: String) -> [JSONValue] {
      [
        task(
          "network", "podman_quadlet", ["name": "rh-net", "network": ["network_name": "rh-net"]],
          notify: "restart rh-web"),
        task(
          "container", "podman_quadlet",
          [
            "name": "rh-web",
            "container": [
              "image": "localhost/web-standin:latest", "container_name": "rh-web",
              "network": ["rh-net.network"], "publish_port": ["127.0.0.1:18080:5000"],
              "environment": ["GREETING": .string(greeting)],
            ],
            "unit": ["description": "runner test web"],
            "install": ["wanted_by": ["multi-user.target"]],
          ], notify: "restart rh-web"),
        task(
          "start", "systemd", ["name": "rh-web.service", "state": "started", "daemon_reload": true]),
      ]
    }
    let handlers = [
      task(
        "restart rh-web", "systemd",
        ["name": "rh-web.service", "state": "restarted", "daemon_reload": true])
    ]
    func answer(_ path: String) throws -> String {
      try host.exec([
        "curl", "-sf", "--retry", "20", "--retry-connrefused", "--retry-delay", "1",
        "http://127.0.0.1:18080\(path)",
      ])
    }
    let units = ["rh-web.service", "rh-net-network.service"]

    let first = try await host.run(tasks(greeting: "hello"), handlers: handlers)
    #expect(
      first.changedSteps == ["network", "container", "start", "restart rh-web"],
      "\(first.failures)")
    #expect(try host.unit("rh-web.service", "ActiveState") == "active")
    #expect(try host.unit("rh-web.service", "SourcePath") == file)
    #expect(try host.runningContainers("rh-web") == ["rh-web"])
    #expect(try host.exec(["podman", "network", "exists", "rh-net"]) == "")
    #expect(
      try host.exec(["podman", "inspect", "--format", "{{.HostConfig.NetworkMode}}", "rh-web"])
        == "bridge\n")
    #expect(try !answer("/api/v1/").isEmpty)
    #expect(try answer("/cgi-bin/env").split(separator: "\0").contains("GREETING=hello"))

    let again = try await host.run(tasks(greeting: "hello"), handlers: handlers)
    #expect(again.changed == 0, "\(again.outcomes)")
    #expect(again.sink.handlersRun.isEmpty)

    // Check mode: the new file is predicted with its diff, the restart as would-run.
    let before = try host.fingerprint(["/etc/containers/systemd"], units: units)
    let containers = try host.exec([
      "podman", "ps", "-a", "--format", "{{.ID}} {{.Names}} {{.StartedAt}}",
    ])
    let check = try await host.run(tasks(greeting: "bonjour"), handlers: handlers, checkMode: true)
    #expect(check.changedSteps == ["container", "restart rh-web"])
    let diff = try #require(check.result("container").diffs.first)
    #expect(diff.before.contains("Environment=GREETING=hello\n"))
    #expect(diff.after.contains("Environment=GREETING=bonjour\n"))
    #expect(diff.afterHeader == file)
    #expect(try host.fingerprint(["/etc/containers/systemd"], units: units) == before)
    #expect(
      try host.exec(["podman", "ps", "-a", "--format", "{{.ID}} {{.Names}} {{.StartedAt}}"])
        == containers)

    // Applied: the start step sees the generated unit stale and reloads systemd (check mode
    // could not know: the file was not written), the handler restarts, and the container sees
    // the new value.
    let changed = try await host.run(tasks(greeting: "bonjour"), handlers: handlers)
    #expect(
      changed.changedSteps == ["container", "start", "restart rh-web"], "\(changed.failures)")
    #expect(changed.result("start").changes == ["daemon-reload (needed by rh-web.service)"])
    #expect(try answer("/cgi-bin/env").split(separator: "\0").contains("GREETING=bonjour"))
    #expect(try await host.run(tasks(greeting: "bonjour"), handlers: handlers).changed == 0)
  }

  @Test
  func `podman_quadlet_instances links instances that run, systemd_instances stops the excess`()
    async throws
  {
    let host = try host
    let directory = "/etc/containers/systemd"
    func tasks(count: Int) -> [JSONValue] {
      [
        task(
          "template", "podman_quadlet",
          [
            "name": "rh-api@",
            "container": [
              "image": "localhost/web-standin:latest", "container_name": "rh-api-%i",
            ],
            "install": ["wanted_by": ["multi-user.target"]],
          ]),
        task("stop excess", "systemd_instances", ["template": "rh-api@", "keep": .int(count)]),
        task(
          "links", "podman_quadlet_instances",
          ["template": "rh-api@.container", "count": .int(count)]),
        task(
          "start", "systemd",
          [
            "names": .array((0..<count).map { .string("rh-api@\($0).service") }),
            "state": "started", "daemon_reload": true,
          ]),
      ]
    }
    func links() throws -> [String] {
      try host.sh(
        #"cd "$1" && for l in rh-api@*; do [ -L "$l" ] && echo "$l -> $(readlink "$l")"; done; :"#,
        directory
      )
      .split(separator: "\n").map(String.init)
    }
    let units = (0..<3).map { "rh-api@\($0).service" }

    let first = try await host.run(tasks(count: 3))
    #expect(first.changedSteps == ["template", "links", "start"], "\(first.failures)")
    #expect(try host.runningContainers("rh-api-") == ["rh-api-0", "rh-api-1", "rh-api-2"])
    #expect(try links() == (0..<3).map { "rh-api@\($0).container -> rh-api@.container" })
    #expect(try await host.run(tasks(count: 3)).changed == 0)

    let before = try host.fingerprint([directory], units: units)
    let check = try await host.run(tasks(count: 1), checkMode: true)
    #expect(check.changedSteps == ["stop excess", "links"])
    #expect(check.result("stop excess").changes == ["stop rh-api@1.service rh-api@2.service"])
    #expect(
      check.result("links").changes == [
        "remove \(directory)/rh-api@1.container \(directory)/rh-api@2.container"
      ])
    let removal = try #require(check.result("links").diffs.first)
    #expect(
      removal.before
        == "rh-api@1.container -> rh-api@.container\nrh-api@2.container -> rh-api@.container\n")
    #expect(removal.after == "" && removal.beforeHeader == directory)
    #expect(try host.fingerprint([directory], units: units) == before)

    let down = try await host.run(tasks(count: 1))
    #expect(down.changedSteps == ["stop excess", "links"], "\(down.failures)")
    #expect(try host.runningContainers("rh-api-") == ["rh-api-0"])
    #expect(try links() == ["rh-api@0.container -> rh-api@.container"])
    #expect(try await host.run(tasks(count: 1)).changed == 0)

    let scaledDown = try host.fingerprint([directory], units: units)
    let up = try await host.run(tasks(count: 2), checkMode: true)
    #expect(up.changedSteps == ["links", "start"])
    let diff = try #require(up.result("links").diffs.first)
    #expect(diff.before == "" && diff.after == "-> rh-api@.container\n")
    #expect(diff.afterHeader == "\(directory)/rh-api@1.container")
    // A generated unit is started after a daemon-reload: its loaded copy may predate its file.
    #expect(
      up.result("start").changes == [
        "daemon-reload (before start rh-api@1.service)", "start rh-api@1.service",
      ])
    #expect(try host.fingerprint([directory], units: units) == scaledDown)
  }

  @Test
  func `podman_quadlet_instances refuses to link a missing template, which would break quadlet`()
    async throws
  {
    let host = try host
    let directory = "/etc/containers/systemd"
    func generatedUnits() throws -> Int32 {
      try host.status(["/usr/libexec/podman/quadlet", "-dryrun"])
    }
    let links = [
      task(
        "links", "podman_quadlet_instances", ["template": "rh-missing@.container", "count": 1])
    ]
    let check = try await host.run(links, checkMode: true)
    #expect(check.changedSteps == ["links"])
    let refused = try await host.run(links)
    #expect(refused.failed == 1)
    #expect(
      refused.result("links").message?.hasPrefix(
        "template \(directory)/rh-missing@.container does not exist") == true)
    #expect(try !host.exists("\(directory)/rh-missing@0.container"))
    #expect(try generatedUnits() == 0)
    // Why: with one dangling link quadlet fails and generates no unit at all, so the next
    // daemon-reload would take every Quadlet service of the host away.
    try host.exec(["ln", "-s", "rh-missing@.container", "\(directory)/rh-missing@0.container"])
    #expect(try generatedUnits() == 1)
    try host.exec(["rm", "--", "\(directory)/rh-missing@0.container"])
  }

  @Test func `podman's own storage files answer image presence and secrets as podman does`()
    throws
  {
    let host = try host
    let inventoryHost = try #require(host.inventory.hosts.first { $0.name == host.name })
    // Secrets of several shapes: bytes that are not text, a trailing newline, and one absent.
    let secrets = ["rh-storage-binary": "AP8KYQo=", "rh-storage-text": "dG9rZW4K"]
    for (name, bytes) in secrets {
      _ = try host.status(["podman", "secret", "rm", name])
      try host.sh(
        #"printf '%s' "$2" | base64 -d | podman secret create "$1" - >/dev/null"#, name, bytes)
    }
    let names = secrets.keys.sorted() + ["rh-storage-nosuch"]
    let references = [
      "localhost/web-standin:latest", "localhost/web-standin", "localhost/rh-nosuch:latest",
      "localhost:5000/web-standin:latest",
    ]
    var files: [HostPath: Data?] = [:]
    let imageFiles = PodmanImageMerger().files(answering: [], on: inventoryHost)
    let secretFiles = PodmanSecretMerger().files(answering: [], on: inventoryHost)
    let paths = try #require(imageFiles) + #require(secretFiles)
    for path in paths {
      let encoded = try host.sh(
        #"if [ -e "$1" ]; then base64 -w0 -- "$1"; else echo -; fi"#, path.rawValue)
      files.updateValue(encoded == "-" ? nil : Data(base64Encoded: encoded), forKey: path)
    }

    let images = references.map { PodmanImagePresence(reference: $0) }
    let fromFiles = PodmanImageMerger().split(files: files, answering: images)
    for (fact, answer) in zip(images, fromFiles) {
      let own = try host.status(["podman", "image", "exists", "--", fact.reference])
      #expect(try fact.parse(#require(answer)) == (own == 0), "\(fact.reference)")
    }
    let data = names.map { PodmanSecretData(name: $0) }
    let secretAnswers = PodmanSecretMerger().split(files: files, answering: data)
    for (fact, answer) in zip(data, secretAnswers) {
      let own = try host.sh(
        #"podman secret inspect --showsecret --format '{{.SecretData}}' -- "$1" 2>/dev/null | base64 -w0; :"#,
        fact.name)
      let expected = secrets[fact.name].flatMap { Data(base64Encoded: $0) }
      #expect(try fact.parse(#require(answer)) == expected, "\(fact.name)")
      let podmanSaid = try Data(base64Encoded: own).map {
        try fact.parse(CommandOutput(exitCode: 0, standardOutput: $0))
      }
      #expect(own.isEmpty ? expected == nil : podmanSaid == expected, "podman: \(fact.name)")
    }
    for name in secrets.keys { _ = try host.status(["podman", "secret", "rm", name]) }
  }

  // MARK: Every module at once

  @Test func `every module in check mode with changed arguments leaves the host byte for byte`()
    async throws
  {
    let host = try host.with(root: "/srv/rh-all")
    let sidecar = "localhost:5000/sleeper-standin:latest"
    func play(_ version: Int) -> [JSONValue] {
      [
        task(
          "file", "file",
          ["path": "{{ root }}", "state": "directory", "mode": version == 1 ? "0755" : "0700"]),
        task(
          "template", "template",
          ["content": .string("version=\(version)\n"), "dest": "{{ root }}/app.conf"]),
        task(
          "command", "command",
          [
            "argv": ["touch", .string("{{ root }}/v\(version).done")],
            "creates": .string("{{ root }}/v\(version).done"),
          ]),
        task(
          "unit file", "template",
          [
            "content": .string(Self.sleeper(reloads: "/run/rh-all.reloads")),
            "dest": "/etc/systemd/system/rh-all.service",
          ]),
        task(
          "systemd", "systemd",
          ["name": "rh-all.service", "state": version == 1 ? "started" : "stopped"]),
        task(
          "instance unit file", "template",
          [
            "content": "[Service]\nExecStart=/bin/sleep infinity\n",
            "dest": "/etc/systemd/system/rh-allinst@.service",
          ]),
        task(
          "instances started", "systemd",
          ["names": ["rh-allinst@0.service"], "state": "started", "daemon_reload": true]),
        task(
          "systemd_instances", "systemd_instances",
          ["template": "rh-allinst@", "keep": .int(2 - version)]),
        task(
          "podman_image", "podman_image",
          ["name": .string(sidecar), "state": version == 1 ? "present" : "absent"]),
        task(
          "podman_quadlet", "podman_quadlet",
          [
            "name": "rh-all@",
            "container": [
              "image": "localhost/web-standin:latest", "container_name": "rh-all-%i",
              "environment": ["VERSION": .string("\(version)")],
            ],
          ]),
        task(
          "podman_quadlet_instances", "podman_quadlet_instances",
          ["template": "rh-all@.container", "count": .int(version)]),
        task(
          "quadlet started", "systemd",
          ["names": ["rh-all@0.service"], "state": "started", "daemon_reload": true]),
      ]
    }
    let first = try await host.run(play(1))
    #expect(first.failed == 0, "\(first.failures)")
    #expect(try host.runningContainers("rh-all-") == ["rh-all-0"])
    #expect(try await host.run(play(1)).changed == 0)

    func state() throws -> String {
      try host.fingerprint(
        ["/srv/rh-all", "/etc/systemd/system", "/etc/containers/systemd"],
        units: ["rh-all.service", "rh-allinst@0.service", "rh-all@0.service", "rh-all@1.service"])
        + host.exec([
          "podman", "ps", "-a", "--format", "{{.ID}} {{.Names}} {{.State}} {{.StartedAt}}",
        ])
        + host.exec(["podman", "images", "--all", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"])
    }
    let before = try state()
    let check = try await host.run(play(2), checkMode: true)
    #expect(
      check.changedSteps == [
        "file", "template", "command", "systemd", "systemd_instances", "podman_image",
        "podman_quadlet", "podman_quadlet_instances",
      ], "\(check.failures)")
    #expect(check.result("systemd_instances").changes == ["stop rh-allinst@0.service"])
    #expect(try state() == before)
  }
}
