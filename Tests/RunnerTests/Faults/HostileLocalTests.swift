import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 12's findings on the local connection, through the real `runner`: files that are not
/// what they seem (a source that is not UTF-8, a FIFO, a directory), values `-e` must keep as
/// given, names that could forge console lines, several inventories, and the host's run lock.
@Suite struct HostileLocalTests {
  let directory: TemporaryDirectory
  let inventory: URL

  init() throws {
    directory = try TemporaryDirectory()
    inventory = try directory.write(
      "inventory.json", #"{"hosts": {"h1": {"connection": "local"}}}"#)
  }

  func path(_ name: String) -> String { directory.path(name) }

  func run(_ playbook: String, _ arguments: [String] = []) throws -> RunnerProcess.Result {
    let file = try directory.write("site.json", playbook)
    return try RunnerProcess.run(["-i", inventory.path] + arguments + [file.path])
  }

  func template(src: String? = nil, content: String? = nil, dest: String) -> String {
    let source = src.map { #""src": "\#($0)""# } ?? #""content": "\#(content ?? "")""#
    return
      #"[{"hosts": "h1", "tasks": [{"name": "Render", "template": {\#(source), "dest": "\#(dest)"}}]}]"#
  }

  @Test func `a template source that is not UTF-8 is refused with its byte offset`() throws {
    let source = path("latin1.j2")
    try Data("caf".utf8 + [0xE9] + Data(" au lait\n".utf8)).write(to: URL(fileURLWithPath: source))
    let result = try run(template(src: source, dest: path("out.txt")))
    #expect(result.status == 2, "\(result.all)")
    #expect(result.stdout.contains("template \(source) is not valid UTF-8 (byte offset 3)"))
    #expect(!FileManager.default.fileExists(atPath: path("out.txt")))
  }

  @Test func `a template source that is a FIFO or a directory says so, and never blocks`() throws {
    let fifo = path("pipe.j2")
    #expect(mkfifo(fifo, 0o600) == 0)
    let fromFIFO = try run(template(src: fifo, dest: path("out.txt")))
    #expect(fromFIFO.status == 2)
    #expect(fromFIFO.stdout.contains("it is a FIFO (named pipe), not a regular file"))
    let fromDirectory = try run(template(src: directory.url.path, dest: path("out.txt")))
    #expect(fromDirectory.stdout.contains("it is a directory, not a regular file"))
  }

  @Test func `a destination that is a FIFO is refused, never blocks`() throws {
    let fifo = path("dest.fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let result = try run(template(content: "x", dest: fifo))
    #expect(result.status == 2, "\(result.all)")
    #expect(result.stdout.contains("it is a FIFO (named pipe), not a regular file"))
  }

  @Test func `a destination ending in a slash is refused`() throws {
    let result = try run(template(content: "x", dest: path("out") + "/"))
    #expect(result.status == 1, "\(result.all)")
    #expect(result.stderr.contains("expected a file path, found a directory path ending in '/'"))
  }

  /// Issue 12: `validate` split on blanks broke a quoted word, and the backup was made before
  /// validation, so a rejected file left a backup behind.
  @Test func `a rejected file leaves no backup, and validate's quotes hold`() throws {
    try "old\n".write(toFile: path("conf"), atomically: true, encoding: .utf8)
    func playbook(_ validate: String) -> String {
      #"[{"hosts": "h1", "tasks": [{"name": "Render", "template": {"content": "new\n", "dest": "\#(path("conf"))", "backup": true, "validate": "\#(validate)"}}]}]"#
    }
    let rejected = try run(playbook(#"sh -c 'exit 1' %s"#))
    #expect(rejected.status == 2, "\(rejected.all)")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
    #expect(!names.contains { $0.hasPrefix("conf.") }, "a backup of a rejected file: \(names)")
    #expect(try String(contentsOfFile: path("conf"), encoding: .utf8) == "old\n")
    let accepted = try run(playbook(#"sh -c 'grep -q new $1' sh %s"#))
    #expect(accepted.status == 0, "\(accepted.all)")
    let after = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
    #expect(after.filter { $0.hasPrefix("conf.") }.count == 1)
    #expect(try String(contentsOfFile: path("conf"), encoding: .utf8) == "new\n")
  }

  @Test func `-e key=value keeps the text as given`() throws {
    let playbook =
      #"[{"hosts": "h1", "tasks": [{"name": "Write", "template": {"content": "{{ a }} {{ b }} {{ c }}\n", "dest": "\#(path("out.txt"))"}}]}]"#
    let result = try run(playbook, ["-e", "a=0123 b=+5 c=false"])
    #expect(result.status == 0, "\(result.all)")
    #expect(try String(contentsOfFile: path("out.txt"), encoding: .utf8) == "0123 +5 false\n")
  }

  @Test func `a line break in a host name cannot forge a console line`() throws {
    let forged = try directory.write(
      "forged.json",
      #"{"hosts": {"h1\nPLAY RECAP *****\nfake : ok=1 changed=0 unreachable=0 failed=0": {"connection": "local"}}}"#
    )
    let file = try directory.write(
      "site.json",
      #"[{"hosts": "all", "tasks": [{"name": "Nothing", "command": {"argv": ["true"]}}]}]"#)
    let result = try RunnerProcess.run(["-i", forged.path, file.path])
    #expect(result.status == 0, "\(result.all)")
    let recaps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PLAY RECAP") }
    #expect(recaps.count == 1, "\(result.stdout)")
    #expect(!result.stdout.contains("\nfake :"))
    #expect(result.stdout.contains(#"h1\nPLAY RECAP"#))
  }

  @Test func `a very long unknown name gets its error at once, without a suggestion`() throws {
    let name = String(repeating: "x", count: 100_000)
    let started = Date()
    let result = try run(#"[{"hosts": "h1", "tasks": [{"name": "Long", "\#(name)": {}}]}]"#)
    #expect(result.status == 1)
    #expect(Date().timeIntervalSince(started) < 10, "a suggestion search that does not end")
    #expect(!result.stderr.contains("did you mean"))
  }

  @Test func `two -i sources are merged, later settings winning`() throws {
    let second = try directory.write(
      "second.json",
      #"{"hosts": {"h1": {"connection": "local", "vars": {"who": "second"}}, "h2": {"connection": "local", "vars": {"who": "h2", "kept": "h2"}}}, "groups": {"web": {"hosts": ["h1"]}}}"#
    )
    let first = try directory.write(
      "first.json",
      #"{"hosts": {"h1": {"connection": "local", "vars": {"who": "first", "kept": "yes"}}}, "groups": {"web": {"hosts": ["h1"], "vars": {"g": 1}}}}"#
    )
    let file = try directory.write(
      "site.json",
      #"[{"hosts": "web:h2", "tasks": [{"name": "Write", "template": {"content": "{{ who }} {{ kept }}\n", "dest": "\#(path("out"))-{{ inventory_hostname }}"}}]}]"#
    )
    let result = try RunnerProcess.run(["-i", first.path, "-i", second.path, file.path])
    #expect(result.status == 0, "\(result.all)")
    #expect(try String(contentsOfFile: path("out-h1"), encoding: .utf8) == "second yes\n")
    #expect(FileManager.default.fileExists(atPath: path("out-h2")))
  }

  /// Issue 12: two runs on one host at once. The second waits, saying why, or fails the host
  /// after `--lock-timeout`; check mode takes the lock shared, beside other checks only.
  @Test func `a second run waits for the host's run lock, or fails after its timeout`() throws {
    let holder = try directory.write(
      "hold.json",
      #"[{"hosts": "h1", "tasks": [{"name": "Hold the host", "command": {"argv": ["sleep", "4"]}}]}]"#
    )
    let quick = try directory.write(
      "quick.json",
      #"[{"hosts": "h1", "tasks": [{"name": "Write", "template": {"content": "x\n", "dest": "\#(path("quick.txt"))"}}]}]"#
    )
    let running = try Spawn.start(
      RunnerProcess.executable.path, ["-i", inventory.path, holder.path])
    for _ in 0..<400 where !running.stdoutSoFar.contains("TASK [Hold the host]") { usleep(10_000) }
    let refused = try RunnerProcess.run(["-i", inventory.path, "--lock-timeout", "0", quick.path])
    #expect(refused.status == 2, "\(refused.all)")
    #expect(refused.stdout.contains("another run holds the host's run lock"))
    #expect(!FileManager.default.fileExists(atPath: path("quick.txt")))
    let checked = try RunnerProcess.run(
      ["-i", inventory.path, "--check", "--lock-timeout", "0", quick.path])
    #expect(checked.status == 2, "a check beside a changing run: \(checked.all)")
    let waited = try RunnerProcess.run(["-i", inventory.path, "-v", quick.path])
    #expect(waited.status == 0, "\(waited.all)")
    // into a pipe the wait draws no status line; -v says it waited, once it has the lock
    #expect(!waited.stdout.contains("waiting"), "\(waited.stdout)")
    #expect(waited.stdout.contains("<h1> waited "), "\(waited.stdout)")
    #expect(running.wait().status == 0)
    #expect(FileManager.default.fileExists(atPath: path("quick.txt")))
  }

  @Test func `check runs share the lock`() throws {
    let holder = try directory.write(
      "hold.json",
      #"[{"hosts": "h1", "tasks": [{"name": "Hold the host", "command": {"argv": ["sleep", "3"]}, "check_mode": false}]}]"#
    )
    let quick = try directory.write(
      "quick.json",
      #"[{"hosts": "h1", "tasks": [{"name": "Nothing", "command": {"argv": ["true"]}}]}]"#)
    let running = try Spawn.start(
      RunnerProcess.executable.path, ["-i", inventory.path, "--check", holder.path])
    for _ in 0..<400 where !running.stdoutSoFar.contains("TASK [Hold the host]") { usleep(10_000) }
    let beside = try RunnerProcess.run(
      ["-i", inventory.path, "--check", "--lock-timeout", "0", quick.path])
    #expect(beside.status == 0, "\(beside.all)")
    #expect(running.wait().status == 0)
  }
}
