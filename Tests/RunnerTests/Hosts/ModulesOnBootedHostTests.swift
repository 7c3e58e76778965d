import Engine
import Foundation
import Testing

extension BootedHostSuites {
  /// Every standard module on a booted test host (Debian trixie, systemd 257 as PID 1, podman
  /// 5.4) over ssh, driven as the product drives it: JSON plays run by `PlaybookRunner` through
  /// `StandardConnectionFactory`. Each test applies and looks at the real host, reruns (nothing
  /// changes), and runs check mode with changed arguments (the predicted change, and the host
  /// byte for byte as it was: files, modes, unit states and start times, containers).
  ///
  /// One host; each test uses its own paths and units, so they are independent of each other
  /// and of the order they run in.
  @Suite(.serialized)
  struct ModulesOnBootedHostTests {
    static let booted = Result { try HostTarget.boot("rh1", root: "/srv/rh", images: true) }

    var host: HostTarget {
      get throws { try Self.booted.get() }
    }

    // MARK: template, file, command (the same scenarios run locally)

    @Test func `template over ssh: validate, backup, mode and owner, check mode with diffs`()
      async throws
    {
      try await FileModuleScenarios.template(on: try host.with(root: "/srv/rh-template"))
    }

    @Test func `copy over ssh: content and src, force, backup, attribute drift`() async throws {
      try await FileModuleScenarios.copy(on: try host.with(root: "/srv/rh-copy"))
    }

    @Test func `file over ssh: directory, touch, link, absent, symbolic mode, check mode`()
      async throws
    {
      try await FileModuleScenarios.file(on: try host.with(root: "/srv/rh-file"))
    }

    @Test func `command over ssh: creates, removes, stdin, environment, check mode`() async throws {
      try await FileModuleScenarios.command(on: try host.with(root: "/srv/rh-command"))
    }

    /// The `podman` transport (a plug-in in `Connections`, no engine code of its own): the
    /// same scenarios in a container on the booted host, through the host's real podman.
    @Test func `template, copy, file and command in a container through the podman transport`()
      async throws
    {
      _ = try host
      let box = try HostTarget.podmanContainer("runner-box", on: "rh1", root: "/srv/box")
      try await FileModuleScenarios.template(on: box.with(root: "/srv/box-template"))
      try await FileModuleScenarios.copy(on: box.with(root: "/srv/box-copy"))
      try await FileModuleScenarios.file(on: box.with(root: "/srv/box-file"))
      try await FileModuleScenarios.command(on: box.with(root: "/srv/box-command"))
      // it all happened inside the container: the host's own tree has none of it
      #expect(try box.exists("/srv/box-copy"))
      #expect(try !host.exists("/srv/box-copy"))
      _ = try? BootedHosts.exec("rh1", ["podman", "rm", "-f", "-t", "0", "runner-box"])
    }

    @Test func `template, file and command over ssh as an unprivileged user with become`()
      async throws
    {
      let deploy = try host.asDeployWithBecome()
      try await FileModuleScenarios.template(on: deploy.with(root: "/srv/rh-become-template"))
      try await FileModuleScenarios.copy(on: deploy.with(root: "/srv/rh-become-copy"))
      try await FileModuleScenarios.file(on: deploy.with(root: "/srv/rh-become-file"))
      try await FileModuleScenarios.command(on: deploy.with(root: "/srv/rh-become-command"))
    }

    // MARK: systemd

    /// A service that runs until stopped and records each reload.
    static func sleeper(reloads: String) -> String {
      """
      [Unit]
      Description=runner test unit %n

      [Service]
      ExecStart=/bin/sleep infinity
      ExecReload=/bin/sh -c 'echo reload >> \(reloads)'

      [Install]
      WantedBy=multi-user.target

      """
    }

    @Test func `systemd really starts, restarts, reloads, stops, enables and disables a unit`()
      async throws
    {
      let host = try host
      let unit = "rh-sleep.service"
      let path = "/etc/systemd/system/\(unit)"
      let reloads = "/run/rh-sleep.reloads"
      func tasks(_ state: String, enabled: Bool) -> [JSONValue] {
        [
          task(
            "unit file", "template",
            ["content": .string(Self.sleeper(reloads: reloads)), "dest": .string(path)]),
          task(
            "unit", "systemd",
            [
              "name": .string(unit), "state": .string(state), "enabled": .bool(enabled),
              "daemon_reload": true,
            ]),
        ]
      }

      let first = try await host.run(tasks("started", enabled: true))
      #expect(first.changedSteps == ["unit file", "unit"], "\(first.failures)")
      // A unit file systemd never loaded is read when first asked for: no reload is needed.
      #expect(first.result("unit").changes == ["enable \(unit)", "start \(unit)"])
      #expect(try host.unit(unit, "ActiveState") == "active")
      #expect(try host.unit(unit, "UnitFileState") == "enabled")
      let started = try host.unit(unit, "ActiveEnterTimestampMonotonic")

      let again = try await host.run(tasks("started", enabled: true))
      #expect(again.changed == 0, "\(again.outcomes)")
      #expect(again.result("unit").values["note"] == .string("\(unit) is active, enabled"))
      #expect(try host.unit(unit, "ActiveEnterTimestampMonotonic") == started)

      // Check mode: stopping and disabling are predicted; the unit keeps running, enabled.
      let before = try host.fingerprint(
        [path, "/etc/systemd/system/multi-user.target.wants"], units: [unit])
      let check = try await host.run(tasks("stopped", enabled: false), checkMode: true)
      #expect(check.changedSteps == ["unit"])
      #expect(check.result("unit").changes == ["disable \(unit)", "stop \(unit)"])
      #expect(check.result("unit").diffs.isEmpty)
      #expect(
        try host.fingerprint([path, "/etc/systemd/system/multi-user.target.wants"], units: [unit])
          == before)

      // restarted: a new start, every run.
      let restarted = try await host.run(tasks("restarted", enabled: true))
      #expect(restarted.result("unit").changes == ["restart \(unit)"])
      let restartedAt = try host.unit(unit, "ActiveEnterTimestampMonotonic")
      #expect(restartedAt != started)
      let pid = try host.unit(unit, "MainPID")

      // reloaded: ExecReload ran; the same process, the same start.
      let reloaded = try await host.run(tasks("reloaded", enabled: true))
      #expect(reloaded.result("unit").changes == ["reload \(unit)"])
      #expect(try host.text(reloads) == "reload\n")
      #expect(try host.unit(unit, "ActiveEnterTimestampMonotonic") == restartedAt)
      #expect(try host.unit(unit, "MainPID") == pid)

      let stopped = try await host.run(tasks("stopped", enabled: false))
      #expect(stopped.result("unit").changes == ["disable \(unit)", "stop \(unit)"])
      #expect(try host.unit(unit, "ActiveState") == "inactive")
      #expect(try host.unit(unit, "UnitFileState") == "disabled")
      #expect(try await host.run(tasks("stopped", enabled: false)).changed == 0)

      // Check mode on a stopped unit: `restarted` starts it (Ansible), predicted only.
      let stoppedState = try host.fingerprint([path], units: [unit])
      let wouldStart = try await host.run(tasks("restarted", enabled: false), checkMode: true)
      #expect(wouldStart.result("unit").changes == ["start \(unit)"])
      #expect(try host.fingerprint([path], units: [unit]) == stoppedState)
    }

    @Test func `systemd masks and unmasks a unit, check mode predicts it`() async throws {
      let host = try host
      let unit = "rh-masked.service"
      // `systemctl mask` links /etc/systemd/system/<unit> to /dev/null, so the unit's own file
      // lives in the vendor directory, as packaged units do.
      let directory = "/usr/local/lib/systemd/system"
      func tasks(masked: Bool) -> [JSONValue] {
        [
          task("unit directory", "file", ["path": .string(directory), "state": "directory"]),
          task(
            "unit file", "template",
            [
              "content": "[Service]\nExecStart=/bin/sleep infinity\n",
              "dest": .string("\(directory)/\(unit)"),
            ]),
          task(
            "mask", "systemd",
            ["name": .string(unit), "masked": .bool(masked), "daemon_reload": true]),
        ]
      }
      let first = try await host.run(tasks(masked: true))
      #expect(first.changedSteps == ["unit directory", "unit file", "mask"], "\(first.failures)")
      #expect(try host.unit(unit, "UnitFileState") == "masked")
      #expect(try host.exec(["readlink", "/etc/systemd/system/\(unit)"]) == "/dev/null\n")
      #expect(try await host.run(tasks(masked: true)).changed == 0)

      let before = try host.fingerprint(["/etc/systemd/system/\(unit)", directory], units: [unit])
      let check = try await host.run(tasks(masked: false), checkMode: true)
      #expect(check.changedSteps == ["mask"])
      #expect(check.result("mask").changes == ["unmask \(unit)"])
      #expect(
        try host.fingerprint(["/etc/systemd/system/\(unit)", directory], units: [unit]) == before)

      let unmasked = try await host.run(tasks(masked: false))
      #expect(unmasked.changedSteps == ["mask"])
      #expect(try host.unit(unit, "UnitFileState") == "static")
      #expect(try !host.exists("/etc/systemd/system/\(unit)"))
    }

    @Test func `systemd starts template instances and systemd_instances stops the excess`()
      async throws
    {
      let host = try host
      let instances = (0..<3).map { "rh-inst@\($0).service" }
      let template = task(
        "template unit", "template",
        [
          "content":
            "[Unit]\nDescription=instance %i\n\n[Service]\nExecStart=/bin/sleep infinity\n",
          "dest": "/etc/systemd/system/rh-inst@.service",
        ])
      let start = task(
        "start", "systemd",
        [
          "names": .array(instances.map(JSONValue.string)), "state": "started",
          "daemon_reload": true,
        ])
      let first = try await host.run([template, start])
      #expect(first.changedSteps == ["template unit", "start"], "\(first.failures)")
      #expect(
        try instances.map { try host.unit($0, "ActiveState") } == ["active", "active", "active"])
      #expect(try await host.run([template, start]).changed == 0)

      func keep(_ count: Int) -> JSONValue {
        task("keep", "systemd_instances", ["template": "rh-inst@", "keep": .int(count)])
      }
      let before = try host.fingerprint([], units: instances)
      let check = try await host.run([keep(1)], checkMode: true)
      #expect(check.result("keep").changes == ["stop rh-inst@1.service rh-inst@2.service"])
      #expect(check.result("keep").diffs.isEmpty)
      #expect(try host.fingerprint([], units: instances) == before)

      let scaled = try await host.run([keep(1)])
      #expect(scaled.changedSteps == ["keep"])
      #expect(
        try instances.map { try host.unit($0, "ActiveState") } == [
          "active", "inactive", "inactive",
        ])
      #expect(try await host.run([keep(1)]).changed == 0)
    }
  }
}
