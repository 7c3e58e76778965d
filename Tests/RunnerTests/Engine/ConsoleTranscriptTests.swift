import Engine
import Foundation
import Testing

/// The engine and the console reporter together: handler order, `listen`, a chain, the recap.
/// Compared byte for byte with runner's own golden file, and host by host with what
/// ansible-playbook 2.19.14 printed for the same play (`Fixtures/ansible/shop`).
@Suite struct ConsoleTranscriptTests {
  @Test func `a role's handlers run in definition order with listen and a chain`() async throws {
    var run = TestRun(hosts: ["h1", "h2"])
    run.roles = testRoles
    run.host("h2").put("/etc/shop.conf", "workers=4\n")
    let output = Reporting.Fixtures.Output()
    let console = ConsoleReporter(write: output.write)
    let runner = try run.runner
    let playbook = try run.load(
      #"[{"name": "Shop", "hosts": "all", "roles": ["shop"], "post_tasks": [{"name": "Smoke test", "ok": {}}]}]"#
    )
    let prepared = try runner.prepare(playbook, inventory: run.inventory)
    let recap = await runner.run(prepared.plays, reportingTo: EventFanOut([console, run.sink]))
    #expect(recap.exitCode == 0)
    try Reporting.Fixtures.expectMatchesSnapshot(output.text, named: "console-handlers.txt")
  }

  /// Every host sees the same banners with the same status lines, in the same order, and the
  /// recap is the same text. Only the interleaving of hosts may differ: runner prints a step's
  /// hosts together in inventory order, while Ansible prints them as they finish, and lets a
  /// host that has handlers pending run its flush before a slower host's post task.
  @Test func `runner prints for each host what ansible-playbook printed for the same play`()
    throws
  {
    let runner = try #require(try Reporting.Fixtures.snapshot("console-handlers.txt"))
    let ansible = try #require(try Reporting.Fixtures.snapshot("console-handlers.ansible.txt"))
    let ours = Transcript(runner)
    let theirs = Transcript(ansible)
    #expect(ours.hosts == ["h1", "h2"])
    for host in ours.hosts {
      #expect(ours.lines(of: host) == theirs.lines(of: host), "host \(host)")
    }
    #expect(ours.recap == theirs.recap)
    #expect(ours.recap.count == 2)
    #expect(theirs.lines(of: "h1").count == 7)
  }
}

/// A console transcript read back: which banner each host's status line came under, and the
/// recap lines.
private struct Transcript {
  var byHost: [String: [String]] = [:]
  var hosts: [String] = []
  var recap: [String] = []

  init(_ text: String) {
    var banner = ""
    var inRecap = false
    for line in text.split(separator: "\n").map(String.init) {
      if line.hasSuffix("***") {
        banner = String(line.prefix { $0 != "*" }).trimmingCharacters(in: .whitespaces)
        inRecap = banner == "PLAY RECAP"
        continue
      }
      if inRecap {
        recap.append(line)
        continue
      }
      guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"),
        open < close, line[..<open].hasSuffix(": ")
      else { continue }
      let host = String(line[line.index(after: open)..<close])
      if byHost[host] == nil { hosts.append(host) }
      byHost[host, default: []].append(banner + " -> " + line)
    }
  }

  func lines(of host: String) -> [String] { byHost[host] ?? [] }
}
