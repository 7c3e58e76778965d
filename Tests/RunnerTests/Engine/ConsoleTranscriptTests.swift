import Engine
import Foundation
import Testing

/// The engine and the console reporter together, compared byte for byte with a golden file
/// written from what ansible-playbook 2.19 prints for the same play (see the file's header
/// in the closing note of issue 2): handler order, `listen`, a chain, the recap.
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
}
