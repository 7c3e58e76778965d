import Engine
import Foundation
import Testing

/// Spec §12 scenarios 42–45: roles, dependencies, de-duplication, variable precedence.
@Suite struct RoleScenarioTests {
  func run(_ json: String, hostVars: [String: JSONValue] = [:], extra: [String: JSONValue] = [:])
    async throws -> TestRun
  {
    var run = TestRun(hostVars: ["h1": hostVars])
    run.roles = testRoles
    run.options.extraVariables = extra
    try await run.run(json)
    return run
  }

  @Test func `42 dependencies run first and their handlers come first`() async throws {
    let run = try await run(#"[{"hosts": "all", "roles": ["web"]}]"#)
    #expect(
      run.sink.transcript.filter { $0.hasPrefix("TASK") || $0.hasPrefix("HANDLER") } == [
        "TASK common : common task", "TASK web : web task", "HANDLER common : common restart",
        "HANDLER web : restart",
      ])
  }

  @Test
  func
    `43 a role listed twice runs once with the same vars, twice with others or duplicates allowed`()
    async throws
  {
    let same = try await run(#"[{"hosts": "all", "roles": ["param", "param"]}]"#)
    #expect(same.host("h1").commands.filter { $0.first == "echo" }.count == 1)
    let different = try await run(
      #"[{"hosts": "all", "roles": [{"role": "param", "vars": {"x": "p1"}}, {"role": "param", "vars": {"x": "p2"}}]}]"#
    )
    #expect(
      different.host("h1").commands.filter { $0.first == "echo" } == [
        ["echo", "p1"], ["echo", "p2"],
      ])
    let dup = try await run(#"[{"hosts": "all", "roles": ["dupok", "dupok"]}]"#)
    #expect(dup.host("h1").commands.filter { $0.first == "echo" }.count == 2)
  }

  @Test func `44 role vars beat play vars and extra vars beat both`() async throws {
    let roleVars = try await run(
      #"[{"hosts": "all", "vars": {"x": "play"}, "roles": [{"role": "param", "vars": {"x": "role"}}]}]"#
    )
    #expect(roleVars.host("h1").commands.contains(["echo", "role"]))
    let extra = try await run(
      #"[{"hosts": "all", "vars": {"x": "play"}, "roles": [{"role": "param", "vars": {"x": "role"}}]}]"#,
      extra: ["x": "extra"])
    #expect(extra.host("h1").commands.contains(["echo", "extra"]))
  }

  @Test func `45 inventory vars beat role defaults`() async throws {
    let run = try await run(#"[{"hosts": "all", "roles": ["web"]}]"#, hostVars: ["web_port": 8080])
    #expect(run.host("h1").text("/etc/web.conf") == "port=8080 flag=a\n")
  }

  @Test func `role variable errors are all reported at once before any change`() async throws {
    var run = TestRun()
    run.roles = testRoles
    let error = await #expect(throws: DefinitionErrors.self) {
      try await run.run(
        #"[{"hosts": "all", "roles": [{"role": "web", "vars": {"web_prot": 1, "web_flag": 3}}, "nope"]}]"#
      )
    }
    let text = error?.description ?? ""
    #expect(text.contains("unknown key 'web_prot'; did you mean 'web_port'?"))
    #expect(text.contains("$[0].roles[0].vars.web_flag"))
    #expect(text.contains("unknown role 'nope'"))
    #expect(run.host("h1").mutations.isEmpty)
  }

  @Test func `a dependency cycle is a definition error`() async throws {
    var run = TestRun()
    run.roles = testRoles
    let error = await #expect(throws: DefinitionErrors.self) {
      try await run.run(#"[{"hosts": "all", "roles": ["cycle_a"]}]"#)
    }
    #expect(
      error?.description.contains("role dependency cycle: cycle_a -> cycle_b -> cycle_a") == true)
  }
}
