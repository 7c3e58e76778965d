import Engine
import Foundation
import Testing

extension Reporting {
  struct JSONReporterTests {
    private static let runID = UUID(uuid: (2, 252, 0, 0, 0, 1, 213, 144, 174, 30, 0, 0, 0, 0, 0, 0))

    private func document(of events: [Event]) async -> (text: String, writes: Int) {
      let output = Fixtures.Output()
      let reporter = JSONReporter(
        masker: Fixtures.masker, runID: Self.runID, clock: Fixtures.SteppingClock().now,
        write: output.write)
      await Fixtures.replay(events, into: reporter)
      return (output.text, output.writes)
    }

    @Test func `the document matches the golden file`() async throws {
      let (text, _) = await document(of: Fixtures.events)
      try Fixtures.expectMatchesSnapshot(text, named: "json-run.json")
    }

    @Test func `one document is written, at the end`() async {
      let (beforeEnd, writesBeforeEnd) = await document(of: Array(Fixtures.events.dropLast()))
      let (_, writes) = await document(of: Fixtures.events)
      #expect(beforeEnd.isEmpty && writesBeforeEnd == 0)
      #expect(writes == 1)
    }

    @Test func `the document has the ansible json callback's shape`() async throws {
      let (text, _) = await document(of: Fixtures.events)
      let json = try JSONValue.parse(Data(text.utf8))
      let root = try #require(json.objectValue)
      #expect(Set(root.keys) == ["custom_stats", "global_custom_stats", "plays", "stats"])

      let play = try #require(root["plays"]?.arrayValue?.first?.objectValue)
      let playInfo = try #require(play["play"]?.objectValue)
      #expect(playInfo["name"] == "Demo play")
      #expect(playInfo["id"] == "02fc0000-0001-d590-ae1e-000000000001")
      #expect(playInfo["path"] == "playbooks/demo.json:2")
      #expect(
        playInfo["duration"] == ["start": "2024-10-10T12:00:00Z", "end": "2024-10-10T12:00:40Z"])

      let tasks = try #require(play["tasks"]?.arrayValue)
      #expect(tasks.count == 11)
      let failing = try #require(tasks[3].objectValue)
      let failingHost = try #require(failing["hosts"]?.objectValue?["h1"]?.objectValue)
      #expect(failingHost["failed"] == true)
      #expect(failingHost["action"] == "command")
      #expect(failingHost["handler"] == nil)
      let handler = try #require(tasks.last?.objectValue?["hosts"]?.objectValue?["h1"]?.objectValue)
      #expect(handler["handler"] == true)
      #expect(handler["action"] == "systemd")

      let stats = try #require(root["stats"]?.objectValue?["h2"])
      #expect(
        stats == [
          "changed": 3, "failures": 0, "ignored": 0, "ok": 6, "rescued": 0, "skipped": 5,
          "unreachable": 1, "round_trips": 0,
        ])
    }

    @Test func `secrets are masked in the document`() async {
      let (text, _) = await document(of: Fixtures.events)
      #expect(!text.contains(Fixtures.secret))
      #expect(text.contains("token=********"))
    }

    @Test func `a result without a started step still gets a task entry`() async throws {
      let (text, _) = await document(of: [
        .playStarted(Fixtures.play),
        .hostResult(host: "h1", step: Fixtures.okStep, result: Fixtures.ok()),
        .finished(PlayRecap()),
      ])
      let json = try JSONValue.parse(Data(text.utf8))
      let tasks = json.objectValue?["plays"]?.arrayValue?.first?.objectValue?["tasks"]?.arrayValue
      #expect(tasks?.count == 1)
      #expect(tasks?.first?.objectValue?["task"]?.objectValue?["name"] == "ok task")
    }
  }
}
