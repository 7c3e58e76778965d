import Engine
import Foundation
import Testing

/// Spec §12 scenarios 1–23: Ansible's handler semantics, each as a test on fake hosts.
@Suite struct HandlerScenarioTests {
  /// A changed task (`put` of new content) and an unchanged one (`ok`).
  static func changed(_ name: String, _ path: String = "/tmp/x", notify: String) -> String {
    #"{"name": "\#(name)", "put": {"path": "\#(path)", "content": "\#(name)"}, "notify": \#(notify)}"#
  }

  static func handler(_ name: String, listen: String? = nil, extra: String = "") -> String {
    let listenPart = listen.map { #", "listen": "\#($0)""# } ?? ""
    return #"{"name": "\#(name)"\#(listenPart), "run": {"argv": ["echo", "\#(name)"]}\#(extra)}"#
  }

  @Test func `1 an ok task notifies nothing`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "t", "ok": {}, "notify": "H"}], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(run.sink.handlersRun.isEmpty)
  }

  @Test func `2 a handler notified twice runs once per host`() async throws {
    let run = TestRun(hosts: ["h1", "h2"])
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("a", "/a", notify: #""H""#)), \#(Self.changed("b", "/b", notify: #""H""#))], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(run.sink.handlersRun == ["H"])
    #expect(run.sink.results(of: "H").keys.sorted() == ["h1", "h2"])
    #expect(recap.stats["h1"]?.changed == 3)
    #expect(run.host("h1").commands.filter { $0 == ["echo", "H"] }.count == 1)
  }

  @Test func `3 handlers run in definition order not notification order`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #"["B", "A"]"#))], "handlers": [\#(Self.handler("A")), \#(Self.handler("B"))]}]"#
    )
    #expect(run.sink.handlersRun == ["A", "B"])
  }

  @Test func `4 pre_tasks flush then tasks flush`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "pre_tasks": [\#(Self.changed("p", "/p", notify: #""H""#))], "tasks": [\#(Self.changed("t", "/t", notify: #""H""#))], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY all", "TASK p", "changed: [h1]", "HANDLER H", "changed: [h1]", "TASK t",
        "changed: [h1]",
        "HANDLER H", "changed: [h1]",
      ])
  }

  @Test func `5 roles and tasks share one flush`() async throws {
    var run = TestRun()
    run.roles = testRoles
    try await run.run(
      #"[{"hosts": "all", "roles": ["web"], "tasks": [\#(Self.changed("t", "/t", notify: #""web : restart""#))]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY all", "TASK common : common task", "changed: [h1]", "TASK web : web task",
        "changed: [h1]",
        "TASK t", "changed: [h1]", "HANDLER common : common restart", "changed: [h1]",
        "HANDLER web : restart", "changed: [h1]",
      ])
  }

  @Test func `6 flush_handlers runs them now and not again`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #""H""#)), {"meta": "flush_handlers"}, {"name": "after", "ok": {}}], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY all", "TASK t", "changed: [h1]", "TASK meta", "HANDLER H",
        "changed: [h1]",
        "TASK after", "ok: [h1]",
      ])
  }

  @Test func `7 nothing notified prints no handler banner`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "t", "ok": {}}], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(run.sink.transcript == ["PLAY all", "TASK t", "ok: [h1]"])
  }

  @Test func `8 listen topics and names run in definition order`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #""T""#))], "handlers": [\#(Self.handler("X", listen: "T")), \#(Self.handler("T")), \#(Self.handler("Z", listen: "T"))]}]"#
    )
    #expect(run.sink.handlersRun == ["X", "T", "Z"])
  }

  @Test func `9 a role-qualified notification reaches only the role's handler`() async throws {
    var run = TestRun()
    run.roles = testRoles
    try await run.run(
      #"[{"hosts": "all", "roles": ["web"], "handlers": [\#(Self.handler("restart"))]}]"#)
    #expect(run.sink.handlersRun == ["common : common restart", "web : restart"])
    #expect(run.host("h1").commands.contains(["systemctl", "restart", "web"]))
    #expect(!run.host("h1").commands.contains(["echo", "restart"]))
  }

  @Test func `10 a role's listen topic answers to role colon topic`() async throws {
    var run = TestRun()
    run.roles = testRoles
    try await run.run(#"[{"hosts": "all", "roles": ["lis"]}]"#)
    #expect(run.sink.handlersRun == ["lis : lis handler"])
  }

  @Test func `11 a handler chain runs later handlers now and earlier ones at the next flush`()
    async throws
  {
    let run = TestRun()
    let middle =
      #"{"name": "middle", "put": {"path": "/m", "content": "m"}, "notify": ["late", "early"]}"#
    try await run.run(
      #"[{"hosts": "all", "pre_tasks": [\#(Self.changed("p", "/p", notify: #""middle""#))], "tasks": [{"name": "next", "ok": {}}], "handlers": [\#(Self.handler("early")), \#(middle), \#(Self.handler("late"))]}]"#
    )
    #expect(
      run.sink.transcript == [
        "PLAY all", "TASK p", "changed: [h1]", "HANDLER middle", "changed: [h1]", "HANDLER late",
        "changed: [h1]", "TASK next", "ok: [h1]", "HANDLER early", "changed: [h1]",
      ])
  }

  @Test(arguments: [true, false])
  func `12 and 13 an unknown handler is rejected before any change`(changes: Bool) async throws {
    let run = TestRun()
    let task =
      changes
      ? Self.changed("t", notify: #""ghost""#) : #"{"name": "t", "ok": {}, "notify": "ghost"}"#
    let error = await #expect(throws: DefinitionErrors.self) {
      try await run.run(
        #"[{"hosts": "all", "tasks": [\#(task)], "handlers": [\#(Self.handler("ghosts"))]}]"#)
    }
    #expect(
      error?.description.contains("notifies unknown handler 'ghost'; did you mean 'ghosts'?")
        == true)
    #expect(run.host("h1").mutations.isEmpty)
    #expect(run.sink.all.isEmpty)
  }

  static let failLater =
    #"[{"hosts": "all", "tasks": [\#(changed("t", notify: #""H""#)), {"name": "boom", "fail": {}, "when": "inventory_hostname == 'h1'"}, {"name": "after", "ok": {}}], "handlers": [\#(handler("H"))]}]"#

  @Test func `14 a failed host drops its handlers, others run theirs`() async throws {
    let run = TestRun(hosts: ["h1", "h2"])
    let recap = try await run.run(Self.failLater)
    #expect(run.sink.results(of: "H").keys.sorted() == ["h2"])
    #expect(recap.stats["h1"]?.failed == 1)
    #expect(recap.exitCode == 2)
    #expect(run.sink.results(of: "after").keys.sorted() == ["h2"])
  }

  @Test func `15 force_handlers runs them on the failed host too`() async throws {
    var run = TestRun(hosts: ["h1", "h2"])
    run.options.forceHandlers = true
    let recap = try await run.run(Self.failLater)
    #expect(run.sink.results(of: "H").keys.sorted() == ["h1", "h2"])
    #expect(recap.stats["h1"]?.failed == 1)
    #expect(recap.exitCode == 2)
  }

  @Test func `16 an ignored failure notifies nothing`() async throws {
    let run = TestRun()
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "t", "run": {"argv": ["false"]}, "ignore_errors": true, "notify": "H"}], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(run.sink.handlersRun.isEmpty)
    #expect(recap.stats["h1"]?.ignored == 1)
    #expect(recap.stats["h1"]?.failed == 0)
    #expect(recap.exitCode == 0)
  }

  @Test func `17 a failing handler fails its host and skips the rest`() async throws {
    let run = TestRun(hosts: ["h1", "h2"])
    let bad = #"{"name": "bad", "fail": {}, "when": "inventory_hostname == 'h1'"}"#
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #"["bad", "later"]"#))], "post_tasks": [{"name": "post", "ok": {}}], "handlers": [\#(bad), \#(Self.handler("later"))]}]"#
    )
    #expect(run.sink.results(of: "later").keys.sorted() == ["h2"])
    #expect(run.sink.results(of: "post").keys.sorted() == ["h2"])
    #expect(recap.stats["h1"]?.failed == 1)
    #expect(recap.stats["h2"]?.failed == 0)
  }

  @Test func `18 an unreachable host gets nothing and exits 4`() async throws {
    let run = TestRun(hosts: ["h1", "dead"])
    run.host("dead").setUnreachable(true)
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #""H""#)), {"name": "next", "ok": {}}], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(recap.stats["dead"]?.unreachable == 1)
    #expect(run.sink.results(of: "next").keys.sorted() == ["h1"])
    #expect(run.sink.results(of: "H").keys.sorted() == ["h1"])
    #expect(recap.exitCode == 4)
  }

  /// ansible-playbook 2.19.14 exits 4 for a run with one host failed and one unreachable
  /// (checked: `command: false` on a local host beside one on a closed port).
  @Test func `a failed host beside an unreachable one exits 4, as ansible-playbook does`()
    async throws
  {
    let run = TestRun(hosts: ["h1", "dead"])
    run.host("dead").setUnreachable(true)
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: "[]")), {"name": "bad", "fail": {}, "when": "inventory_hostname == 'h1'"}]}]"#
    )
    #expect(recap.stats["h1"]?.failed == 1)
    #expect(recap.stats["dead"]?.unreachable == 1)
    #expect(recap.exitCode == 4)
  }

  @Test func `19 check mode runs notified handlers in check mode and changes nothing`() async throws
  {
    var run = TestRun()
    run.options.checkMode = true
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #""H""#))], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(run.sink.handlersRun == ["H"])
    #expect(run.sink.results(of: "H")["h1"]?.skipped == true)
    #expect(run.host("h1").mutations.isEmpty)
    #expect(run.host("h1").text("/tmp/x") == nil)
    #expect(recap.stats["h1"]?.changed == 1)
  }

  @Test func `20 a check_mode task notifies a handler that really runs`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "t", "put": {"path": "/x", "content": "y"}, "check_mode": true, "notify": "H"}], "handlers": [{"name": "H", "put": {"path": "/h", "content": "ran"}}]}]"#
    )
    #expect(run.host("h1").text("/x") == nil)
    #expect(run.host("h1").text("/h") == "ran")
  }

  @Test func `21 a loop with three changed items notifies once`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "t", "put": {"path": "/{{ item }}", "content": "x"}, "loop": ["a", "b", "c"], "notify": "H"}], "handlers": [\#(Self.handler("H"))]}]"#
    )
    #expect(run.sink.handlersRun == ["H"])
    #expect(run.sink.results(of: "t")["h1"]?.items?.count == 3)
    #expect(run.host("h1").text("/c") == "x")
  }

  @Test func `22 templated notifications per item`() async throws {
    let run = TestRun()
    try await run.run(
      #"[{"hosts": "all", "tasks": [{"name": "t", "put": {"path": "/{{ item }}", "content": "x"}, "loop": ["a", "b"], "notify": "svc {{ item }}"}], "handlers": [\#(Self.handler("svc a")), \#(Self.handler("svc b"))]}]"#
    )
    #expect(run.sink.handlersRun == ["svc a", "svc b"])
  }

  @Test func `23 a handler whose condition is false is skipped and counted`() async throws {
    let run = TestRun()
    let recap = try await run.run(
      #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #""H""#))], "handlers": [\#(Self.handler("H", extra: #", "when": false"#))]}]"#
    )
    #expect(run.sink.transcript.suffix(2) == ["HANDLER H", "skipped: [h1]"])
    #expect(recap.stats["h1"]?.skipped == 1)
  }

  /// ansible-core does not template `listen`: a notification matching only a templated topic
  /// reaches no handler, which is an error before the run (Ansible's is at run time).
  @Test func `a templated listen topic is not matched by its rendered value`() async throws {
    let run = TestRun()
    await #expect(throws: DefinitionErrors.self) {
      try await run.run(
        #"[{"hosts": "all", "vars": {"topic": "name4"}, "tasks": [\#(Self.changed("t", notify: #""name4""#))], "handlers": [{"name": "listener", "ok": {}, "listen": "{{ topic }}"}]}]"#
      )
    }
    #expect(run.sink.all.isEmpty)
  }

  /// A block in `handlers` only groups them: its name answers nothing.
  @Test func `a block of handlers has no name of its own`() async throws {
    let run = TestRun()
    await #expect(throws: DefinitionErrors.self) {
      try await run.run(
        #"[{"hosts": "all", "tasks": [\#(Self.changed("t", notify: #""group""#))], "handlers": [{"name": "group", "block": [\#(Self.handler("inside"))]}]}]"#
      )
    }
  }
}
