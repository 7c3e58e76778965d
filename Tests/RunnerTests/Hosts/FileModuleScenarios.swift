import Engine
import Foundation
import Testing

/// `template`, `copy`, `file` and `command` on a real host, the same scenario locally and over ssh:
/// apply and look at the host, rerun (nothing changes), then check mode with changed arguments
/// (the predicted change and its diff, and the host byte for byte as it was).
enum FileModuleScenarios {
  // MARK: template

  static func template(on host: HostTarget) async throws {
    let root = host.root
    let config = root + "/app.conf"
    try host.exec(["rm", "-rf", "--", root])
    func tasks(_ content: String, mode: String = "0640", backup: Bool = false) -> [JSONValue] {
      [
        task("directory", "file", ["path": "{{ root }}", "state": "directory", "mode": "0755"]),
        task(
          "config", "template",
          [
            "content": .string(content), "dest": "{{ root }}/app.conf", "mode": .string(mode),
            "owner": "{{ owner }}", "group": "{{ group }}", "validate": "grep -q ^port= %s",
            "backup": .bool(backup),
          ]),
        task(
          "rendered", "template",
          ["src": "app.conf.tmpl", "dest": "{{ root }}/rendered.conf", "mode": "u=rw,g=r,o=r"]),
      ]
    }
    let templates = ["app.conf.tmpl": "host={{ inventory_hostname }}\nport={{ port }}\n"]
    func run(_ tasks: [JSONValue], checkMode: Bool = false) async throws -> HostRun {
      try await host.run(tasks, vars: ["port": 8080], checkMode: checkMode, templates: templates)
    }

    // Apply: the directory, a validated file with mode and owner, a rendered template file.
    let first = try await run(tasks("port=8080\n"))
    #expect(first.changedSteps == ["directory", "config", "rendered"], "\(first.failures)")
    #expect(try host.text(config) == "port=8080\n")
    #expect(try host.stat(config) == "640 \(host.owner):\(host.group) regular file")
    #expect(try host.text(root + "/rendered.conf") == "host=\(host.name)\nport=8080\n")
    #expect(try host.stat(root + "/rendered.conf").hasPrefix("644 "))

    // Rerun: nothing to do.
    let again = try await run(tasks("port=8080\n"))
    #expect(again.changed == 0, "\(again.outcomes)")

    // Check mode, new content and mode: predicted with the content diff, nothing touched.
    let before = try host.fingerprint([root])
    let check = try await run(tasks("port=9090\n", mode: "0600"), checkMode: true)
    #expect(check.changedSteps == ["config"])
    let diff = try #require(check.result("config").diffs.first)
    #expect(diff.before == "port=8080\n" && diff.after == "port=9090\n")
    #expect(diff.beforeHeader == config && diff.afterHeader == config)
    // Only the mode drifts: predicted as an attribute diff.
    let modeOnly = try await run(tasks("port=8080\n", mode: "0600"), checkMode: true)
    let modeDiff = try #require(modeOnly.result("config").diffs.first)
    #expect(modeDiff.before.contains(#""mode": "0640""#))
    #expect(modeDiff.after.contains(#""mode": "0600""#))
    #expect(try host.fingerprint([root]) == before)

    // A content the validator rejects fails the step and leaves the old file, no temp file.
    let fileBefore = try host.fingerprint([config])
    let rejected = try await run(tasks("garbage\n"))
    #expect(rejected.failed == 1)
    #expect(rejected.result("config").message?.contains("failed to validate") == true)
    #expect(try host.fingerprint([config]) == fileBefore)
    #expect(try host.exec(["ls", "-A", root]) == "app.conf\nrendered.conf\n")

    // backup: the old bytes and attributes are kept beside the new file, once.
    let backedUp = try await run(tasks("port=9090\n", backup: true))
    #expect(backedUp.changedSteps == ["config"])
    let backup = try #require(backedUp.result("config").values["backup_file"]?.stringValue)
    #expect(backup.hasPrefix(config + ".") && backup.hasSuffix("~"))
    #expect(try host.text(backup) == "port=8080\n")
    #expect(try host.stat(backup) == "640 \(host.owner):\(host.group) regular file")
    #expect(try host.text(config) == "port=9090\n")
    let settled = try await run(tasks("port=9090\n", backup: true))
    #expect(settled.changed == 0)
    #expect(try host.exec(["ls", "-A", root]).split(separator: "\n").count == 3)

    // Two backups of the same file within one second (the name has second precision):
    // neither old content is lost, and `backup_file` holds the content just replaced.
    let twice = try await run(
      tasks("port=1\n", backup: true) + [
        task(
          "config again", "template",
          ["content": "port=2\n", "dest": "{{ root }}/app.conf", "backup": true])
      ])
    #expect(twice.changedSteps == ["config", "config again"], "\(twice.failures)")
    let latest = try #require(twice.result("config again").values["backup_file"]?.stringValue)
    #expect(try host.text(latest) == "port=1\n")
    let backups = try host.sh(#"cat -- "$1".*~*"#, config)
    #expect(backups.split(separator: "\n").sorted() == ["port=1", "port=8080", "port=9090"])
  }

  // MARK: copy

  static func copy(on host: HostTarget) async throws {
    let root = host.root
    let motd = root + "/motd"
    try host.exec(["rm", "-rf", "--", root])
    func tasks(
      _ content: String, mode: String = "0640", force: Bool = true, backup: Bool = false
    ) -> [JSONValue] {
      [
        task("directory", "file", ["path": "{{ root }}", "state": "directory", "mode": "0755"]),
        task(
          "motd", "copy",
          [
            "content": .string(content), "dest": "{{ root }}/motd", "mode": .string(mode),
            "owner": "{{ owner }}", "group": "{{ group }}", "validate": "grep -q Welcome %s",
            "force": .bool(force), "backup": .bool(backup),
          ]),
        task("banner", "copy", ["src": "banner.txt", "dest": "{{ root }}/banner"]),
      ]
    }
    let files = ["banner.txt": "Hello {{ not_rendered }}\n"]
    func run(_ tasks: [JSONValue], checkMode: Bool = false) async throws -> HostRun {
      try await host.run(tasks, checkMode: checkMode, files: files)
    }

    // Apply: content with mode, owner and validation; a playbook file copied as it is.
    let first = try await run(tasks("Welcome\n"))
    #expect(first.changedSteps == ["directory", "motd", "banner"], "\(first.failures)")
    #expect(try host.text(motd) == "Welcome\n")
    #expect(try host.stat(motd) == "640 \(host.owner):\(host.group) regular file")
    #expect(try host.text(root + "/banner") == "Hello {{ not_rendered }}\n")
    #expect(first.result("motd").values["dest"] == .string(motd))

    // Rerun: nothing to do.
    let again = try await run(tasks("Welcome\n"))
    #expect(again.changed == 0, "\(again.outcomes)")

    // Check mode: the content diff, headed by dest; the host as it was.
    let before = try host.fingerprint([root])
    let check = try await run(tasks("Welcome back\n"), checkMode: true)
    #expect(check.changedSteps == ["motd"])
    let diff = try #require(check.result("motd").diffs.first)
    #expect(diff.before == "Welcome\n" && diff.after == "Welcome back\n")
    #expect(diff.beforeHeader == motd && diff.afterHeader == motd)
    #expect(try host.fingerprint([root]) == before)

    // force false: the file exists, so neither its content nor its mode is touched.
    let kept = try await run(tasks("Welcome back\n", mode: "0600", force: false))
    #expect(kept.changed == 0, "\(kept.outcomes)")
    #expect(try host.fingerprint([root]) == before)

    // Only the mode drifted: a chmod, the content left alone.
    try host.exec(["chmod", "0600", "--", motd])
    let modeOnly = try await run(tasks("Welcome\n"))
    #expect(modeOnly.changedSteps == ["motd"])
    #expect(modeOnly.result("motd").diffs.first?.after.contains(#""mode": "0640""#) == true)
    #expect(try host.stat(motd).hasPrefix("640 "))

    // A rejected content fails and leaves the file; a backup keeps the old bytes.
    #expect(try await run(tasks("garbage\n")).failed == 1)
    #expect(try host.text(motd) == "Welcome\n")
    let backedUp = try await run(tasks("Welcome again\n", backup: true))
    let backup = try #require(backedUp.result("motd").values["backup_file"]?.stringValue)
    #expect(try host.text(backup) == "Welcome\n")
    #expect(try host.text(motd) == "Welcome again\n")
  }

  // MARK: file

  static func file(on host: HostTarget) async throws {
    let root = host.root
    try host.exec(["rm", "-rf", "--", root])
    try host.exec(["mkdir", "-p", "--", root + "/obsolete/nested"])
    try host.exec(["touch", "--", root + "/obsolete/nested/data"])
    func tasks(script: String = "touch", mode: String = "u=rwx,g=rx,o=", link: String = "tree")
      -> [JSONValue]
    {
      [
        task(
          "tree", "file",
          [
            "path": "{{ root }}/tree", "state": "directory", "mode": "0750",
            "owner": "{{ owner }}", "group": "{{ group }}",
          ]),
        task(
          "script", "file",
          ["path": "{{ root }}/tree/run.sh", "state": .string(script), "mode": .string(mode)]),
        task(
          "current", "file", ["path": "{{ root }}/current", "state": "link", "src": .string(link)]),
        task("obsolete", "file", ["path": "{{ root }}/obsolete", "state": "absent"]),
      ]
    }

    let first = try await host.run(tasks())
    #expect(first.changedSteps == ["tree", "script", "current", "obsolete"], "\(first.failures)")
    #expect(try host.stat(root + "/tree") == "750 \(host.owner):\(host.group) directory")
    #expect(try host.stat(root + "/tree/run.sh").hasPrefix("750 "))
    #expect(try host.exec(["readlink", root + "/current"]) == "tree\n")
    #expect(try !host.exists(root + "/obsolete"))

    // `touch` changes every time, as in Ansible; `state: file` then has nothing to do.
    let touched = try await host.run(tasks())
    #expect(touched.changedSteps == ["script"])
    let again = try await host.run(tasks(script: "file"))
    #expect(again.changed == 0, "\(again.outcomes)")

    // Check mode: a symbolic mode, a link moved, a directory removed — predicted, not done.
    let before = try host.fingerprint([root])
    let check = try await host.run(
      tasks(script: "file", mode: "g-x,o+r", link: "tree/run.sh")
        + [task("remove tree", "file", ["path": "{{ root }}/tree", "state": "absent"])],
      checkMode: true)
    #expect(check.changedSteps == ["script", "current", "remove tree"])
    let modeDiff = try #require(check.result("script").diffs.first)
    #expect(modeDiff.before.contains(#""mode": "0750""#))
    #expect(modeDiff.after.contains(#""mode": "0744""#))
    let linkDiff = try #require(check.result("current").diffs.first)
    #expect(linkDiff.before.contains(#""src": "tree""#))
    #expect(linkDiff.after.contains(#""src": "tree/run.sh""#))
    let removal = try #require(check.result("remove tree").diffs.first)
    #expect(removal.before.contains(#""state": "directory""#))
    #expect(removal.after.contains(#""state": "absent""#))
    #expect(try host.fingerprint([root]) == before)

    // The symbolic mode applied for real, then settled.
    let symbolic = try await host.run(tasks(script: "file", mode: "g-x,o+r"))
    #expect(symbolic.changedSteps == ["script"])
    #expect(try host.stat(root + "/tree/run.sh").hasPrefix("744 "))
    #expect(try await host.run(tasks(script: "file", mode: "g-x,o+r")).changed == 0)
  }

  // MARK: command

  static func command(on host: HostTarget) async throws {
    let root = host.root
    try host.exec(["rm", "-rf", "--", root])
    try host.exec(["mkdir", "-p", "--", root])
    try host.exec(["touch", "--", root + "/obsolete"])
    func tasks(creates: String = "out.txt") -> [JSONValue] {
      [
        task(
          "environment", "command",
          [
            "argv": ["sh", "-c", #"printf '%s in %s\n' "$GREETING" "$(pwd)" > out.txt"#],
            "chdir": "{{ root }}", "environment": ["GREETING": "hello {{ inventory_hostname }}"],
            "creates": .string("{{ root }}/\(creates)"),
          ]),
        task(
          "stdin", "command",
          [
            "argv": ["tee", "{{ root }}/stdin.txt"], "stdin": "line one",
            "creates": "{{ root }}/stdin.txt",
          ], register: "teed"),
        task(
          "removes", "command",
          ["argv": ["rm", "--", "{{ root }}/obsolete"], "removes": "{{ root }}/obsolete"]),
      ]
    }

    let first = try await host.run(tasks())
    #expect(first.changedSteps == ["environment", "stdin", "removes"], "\(first.failures)")
    #expect(try host.text(root + "/out.txt") == "hello \(host.name) in \(root)\n")
    #expect(try host.text(root + "/stdin.txt") == "line one\n")
    #expect(first.result("stdin").values["stdout"] == "line one")
    #expect(first.result("stdin").values["rc"] == 0)
    #expect(try !host.exists(root + "/obsolete"))

    // creates/removes make the rerun a no-op, with Ansible's message as stdout.
    let again = try await host.run(tasks())
    #expect(again.changed == 0, "\(again.outcomes)")
    #expect(
      again.result("environment").values["stdout"]
        == .string("skipped, since \(root)/out.txt exists"))

    // Check mode: with creates the run is predicted, without it the step is skipped; neither
    // runs anything.
    let before = try host.fingerprint([root])
    let check = try await host.run(
      tasks(creates: "out2.txt")
        + [task("unpredictable", "command", ["argv": ["touch", "{{ root }}/never"]])],
      checkMode: true)
    #expect(check.changedSteps == ["environment"])
    #expect(check.result("environment").diffs.isEmpty)
    #expect(check.result("unpredictable").skipped)
    #expect(
      check.result("unpredictable").message == "Command would have run if not in check mode")
    #expect(try host.fingerprint([root]) == before)
  }
}
