import Engine
import Foundation
import Testing

extension Reporting {
  struct ConsoleReporterTests {
    private func output(
      of events: [Event], showDiff: Bool = false, verbosity: Int = 0,
      checkModeMarkers: Bool = false
    ) async -> String {
      let output = Fixtures.Output()
      let reporter = ConsoleReporter(
        showDiff: showDiff, verbosity: verbosity, masker: Fixtures.masker,
        checkModeMarkers: checkModeMarkers, write: output.write)
      await Fixtures.replay(events, into: reporter)
      return output.text
    }

    @Test func `default output with diff matches the golden file`() async throws {
      let text = await output(of: Fixtures.events, showDiff: true)
      try Fixtures.expectMatchesSnapshot(text, named: "console-diff.txt")
    }

    @Test func `verbose output matches the golden file`() async throws {
      let text = await output(of: Fixtures.events, verbosity: 2)
      try Fixtures.expectMatchesSnapshot(text, named: "console-vv.txt")
    }

    @Test func `every banner line is 80 characters`() async {
      let text = await output(of: Fixtures.events, showDiff: true, verbosity: 3)
      let banners = text.split(separator: "\n").filter {
        $0.first?.isUppercase == true && $0.hasSuffix("***")
      }
      #expect(banners.count == 13)
      for banner in banners {
        #expect(banner.count == 80, "\(banner)")
      }
    }

    @Test func `a long name still gets three stars and wide characters count twice`() async {
      let long = String(repeating: "x", count: 90)
      let text = await output(of: [
        .stepStarted(Fixtures.step(long, line: 1)),
        .stepStarted(Fixtures.step("配置", line: 2)),
      ])
      #expect(
        text == "\nTASK [\(long)] ***\n\nTASK [配置] " + String(repeating: "*", count: 68) + "\n")
    }

    @Test func `recap line matches ansible byte for byte`() async {
      var stats = HostStats()
      stats.ok = 2
      stats.changed = 1
      var long = HostStats()
      long.ok = 12345
      long.failed = 1
      let text = await output(of: [
        .finished(PlayRecap(stats: ["h1": stats, "a-very-long-host-name.example.com": long]))
      ])
      let banner = "\nPLAY RECAP " + String(repeating: "*", count: 69) + "\n"
      #expect(
        text == banner
          + "a-very-long-host-name.example.com : ok=12345 changed=0    unreachable=0    failed=1    "
          + "skipped=0    rescued=0    ignored=0   \n"
          + "h1                         : ok=2    changed=1    unreachable=0    failed=0    "
          + "skipped=0    rescued=0    ignored=0   \n"
          + "\n")
    }

    @Test func `an interrupted run says so before the recap`() async {
      let text = await output(of: [.finished(PlayRecap(stats: [:], interrupted: true))])
      #expect(
        text == "[ERROR]: User interrupted execution\n\nPLAY RECAP "
          + String(repeating: "*", count: 69) + "\n\n")
    }

    @Test func `a result for another step reprints that step's banner`() async {
      let text = await output(of: [
        .stepStarted(Fixtures.okStep),
        .hostResult(host: "h1", step: Fixtures.okStep, result: Fixtures.ok()),
        .hostResult(host: "h1", step: Fixtures.pingStep, result: Fixtures.ok()),
        .hostResult(host: "h2", step: Fixtures.pingStep, result: Fixtures.ok()),
      ])
      #expect(
        text == """

          TASK [ok task] *****************************************************************
          ok: [h1]

          TASK [ping] ********************************************************************
          ok: [h1]
          ok: [h2]

          """)
    }

    @Test func `no more hosts left is a banner`() async {
      let text = await output(of: [.noHostsLeft])
      #expect(text == "\nNO MORE HOSTS LEFT " + String(repeating: "*", count: 61) + "\n")
    }

    @Test func `check mode markers tag banners and announce a dry run`() async {
      var play = Fixtures.play
      play.checkMode = true
      let text = await output(
        of: [
          .playStarted(play), .stepStarted(Fixtures.okStep), .finished(PlayRecap()),
        ], checkModeMarkers: true)
      #expect(
        text == """

          DRY RUN ************************************************************************

          PLAY [Demo play] [CHECK MODE] **************************************************

          TASK [ok task] [CHECK MODE] ****************************************************

          PLAY RECAP *********************************************************************


          DRY RUN ************************************************************************

          """)
    }

    @Test func `without markers check mode looks like a normal run`() async {
      var play = Fixtures.play
      play.checkMode = true
      let text = await output(of: [.playStarted(play)])
      #expect(text == "\nPLAY [Demo play] " + String(repeating: "*", count: 63) + "\n")
    }

    @Test func `an unnamed play is named after its hosts`() async {
      let play = PlayInfo(name: "", hosts: ["h1", "h2"], source: "p.json:1", checkMode: false)
      let text = await output(of: [.playStarted(play)])
      #expect(text == "\nPLAY [h1,h2] " + String(repeating: "*", count: 67) + "\n")
    }

    @Test func `three v indent results and show retried attempts`() async {
      var attempt = Fixtures.command(exitCode: 1, changed: false)
      attempt.attempts = 1
      let text = await output(
        of: [
          .retrying(host: "h1", step: Fixtures.retryStep, retriesLeft: 1, result: attempt),
          .hostResult(host: "h1", step: Fixtures.pingStep, result: Fixtures.ok(values: ["a": 1])),
        ], verbosity: 3)
      #expect(
        text == """
          FAILED - RETRYING: [h1]: retry task (1 retries left).Result was: {
              "attempts": 1,
              "changed": false,
              "msg": "non-zero return code",
              "rc": 1,
              "stderr": "",
              "stderr_lines": [],
              "stdout": "",
              "stdout_lines": []
          }

          TASK [ping] ********************************************************************
          task path: playbooks/demo.json:52
          ok: [h1] => {
              "a": 1,
              "changed": false
          }

          """)
    }

    @Test func `a censored loop item is labelled as censored`() async {
      var item = Fixtures.item("secret", Fixtures.ok(changed: true))
      item.censored = true
      let text = await output(of: [
        .hostResult(host: "h1", step: Fixtures.loopStep, result: Fixtures.loop([item]))
      ])
      #expect(text.hasSuffix("changed: [h1] => (item=(censored due to no_log))\n"))
    }

    @Test func `diffs are shown only for steps that allow them`() async {
      let diff = Diff(before: "a\n", after: "b\n")
      let result = Fixtures.written(diff, path: "/x")
      let allowed = await output(
        of: [.hostResult(host: "h1", step: Fixtures.configStep, result: result)], showDiff: true)
      let refused = await output(
        of: [.hostResult(host: "h1", step: Fixtures.okStep, result: result)], showDiff: true)
      let notAsked = await output(
        of: [.hostResult(host: "h1", step: Fixtures.configStep, result: result)])
      #expect(allowed.contains("--- before\n+++ after\n@@ -1 +1 @@\n-a\n+b\n\nchanged: [h1]\n"))
      #expect(!refused.contains("+++ after"))
      #expect(!notAsked.contains("+++ after"))
    }

    @Test func `secrets never reach the writer`() async {
      let text = await output(of: Fixtures.events, showDiff: true, verbosity: 3)
      #expect(!text.contains(Fixtures.secret))
      #expect(text.contains(SecretMasker.placeholder))
    }

    @Test func `concurrent events are written whole, one call per event`() async {
      let output = Fixtures.Output()
      let reporter = ConsoleReporter(write: output.write)
      await withTaskGroup(of: Void.self) { group in
        for index in 0..<200 {
          group.addTask {
            await reporter.record(.warning("warning \(index)"))
          }
        }
      }
      let lines = output.text.split(separator: "\n")
      #expect(output.writes == 200)
      #expect(Set(lines).count == 200)
      #expect(lines.allSatisfy { $0.hasPrefix("[WARNING]: warning ") })
    }
  }
}
