import Engine
import Foundation
import Testing

extension BootedHostSuites {
  /// Round trips (programs run over ssh, `HostStats.roundTrips`) of a play of 10 steps on one
  /// booted host: 5 pairs of a `template` writing a unit file and a `systemd` step starting
  /// that unit (`state: started`, `daemon_reload: true`). The engine asks every read of the
  /// remaining steps in one batch whenever its cache is cold (start of play, after a change),
  /// so an unchanged run costs one round trip, and a change costs the change plus one batch;
  /// every run costs one more for the host's run lock, taken before the first read.
  @Suite(.serialized)
  struct RoundTripTests {
    static let booted = Result { try HostTarget.boot("rh2", root: "/srv/rh-rt") }
    static let pairs = 5

    static func unit(_ index: Int, description: String = "runner round trip unit") -> String {
      "[Unit]\nDescription=\(description) \(index)\n\n[Service]\nExecStart=/bin/sleep infinity\n"
    }

    static func tasks(changing changed: Int? = nil) -> [JSONValue] {
      (0..<pairs).flatMap { index -> [JSONValue] in
        let description = index == changed ? "changed round trip unit" : "runner round trip unit"
        return [
          task(
            "unit file \(index)", "template",
            [
              "content": .string(unit(index, description: description)),
              "dest": .string("/etc/systemd/system/rh-rt\(index).service"), "mode": "0644",
            ]),
          task(
            "start \(index)", "systemd",
            ["name": .string("rh-rt\(index).service"), "state": "started", "daemon_reload": true]),
        ]
      }
    }

    @Test func `10 unchanged template and systemd steps cost one round trip, and the lock one`()
      async throws
    {
      let host = try Self.booted.get()
      let units = (0..<Self.pairs).map { "rh-rt\($0).service" }
      for unit in units { _ = try host.status(["systemctl", "stop", unit]) }
      try host.exec(["rm", "-f", "--"] + units.map { "/etc/systemd/system/\($0)" })
      try host.exec(["systemctl", "daemon-reload"])

      // First run: each pair is a batch of reads, the write, a batch, the start.
      let first = try await host.run(Self.tasks())
      #expect(first.changed == 10, "\(first.failures)")
      #expect(
        try units.map { try host.unit($0, "ActiveState") } == Array(repeating: "active", count: 5))
      print(
        "round trips, 10 steps on \(host.name), first (changing) run: \(first.stats.roundTrips)")
      // And one for the host's run lock, in every run.
      #expect(first.stats.roundTrips == 1 + 4 * Self.pairs)

      let unchanged = try await host.run(Self.tasks())
      #expect(unchanged.changed == 0, "\(unchanged.outcomes)")
      print("round trips, 10 steps on \(host.name), unchanged run: \(unchanged.stats.roundTrips)")
      #expect(unchanged.stats.roundTrips == 1 + 1)

      let check = try await host.run(Self.tasks(), checkMode: true)
      #expect(check.changed == 0)
      #expect(check.stats.roundTrips == 1 + 1)

      // One unit file changed in the middle: the batch, the write, a batch for the rest, and
      // the daemon-reload its stale unit needs (it keeps running: `started`, not restarted).
      let before = try host.unit("rh-rt2.service", "ActiveEnterTimestampMonotonic")
      let one = try await host.run(Self.tasks(changing: 2))
      #expect(one.changedSteps == ["unit file 2", "start 2"], "\(one.failures)")
      #expect(one.result("start 2").changes == ["daemon-reload (needed by rh-rt2.service)"])
      print("round trips, 10 steps on \(host.name), one unit file changed: \(one.stats.roundTrips)")
      #expect(one.stats.roundTrips == 1 + 5)
      #expect(try host.unit("rh-rt2.service", "ActiveEnterTimestampMonotonic") == before)
      #expect(try host.unit("rh-rt2.service", "Description") == "changed round trip unit 2")
    }
  }
}
