import Engine
import Foundation
import Modules
import Testing

/// `command` planned and applied on this machine through `LocalConnection`.
struct CommandModuleLocalTests {
  @Test(arguments: HostileValues.strings)
  func `hostile arguments reach the program intact`(value: String) async throws {
    try await withLocalHost { host in
      let module = CommandModule(["printf", "%s", value])
      let (_, outputs) = try await host.apply(module)
      #expect(
        module.resultValues(from: outputs)["stdout"] == .string(OutputTextForTests.chomp(value)))
      #expect(!FileManager.default.fileExists(atPath: "/tmp/runner-pwned"))
    }
  }

  @Test func `creates makes it run once`() async throws {
    try await withLocalHost { host in
      let marker = host.path("marker file")
      let module = CommandModule(["touch", marker.rawValue], creates: marker)
      let (plan, _) = try await host.apply(module)
      #expect(plan.changes.count == 1)
      #expect(host.exists("marker file"))
      #expect(try await host.plan(module).isEmpty)
    }
  }

  @Test func `planning in check mode runs nothing`() async throws {
    try await withLocalHost { host in
      let before = try host.snapshot()
      let plan = try await host.plan(
        CommandModule(["touch", host.path("x").rawValue]), checkMode: true)
      #expect(plan.unpredictableReason != nil)
      #expect(try host.snapshot() == before)
    }
  }

  @Test func `a failing command fails the step with its output`() async throws {
    try await withLocalHost { host in
      let module = CommandModule(["sh", "-c", "echo broken >&2; exit 3"], directory: host.path(""))
      let error = await #expect(throws: CommandFailed.self) { try await host.apply(module) }
      #expect(error?.output.exitCode == 3)
      #expect(error?.output.stderr == "broken\n")
    }
  }

  @Test func `a quoted cmd reaches the program word for word`() async throws {
    try await withLocalHost { host in
      let cmd = #"sh -c 'printf "[%s]" "$@"' sh "a b" 'c  d' e\ f "$HOME""#
      let json = JSONValue.object(["cmd": .string(cmd)]).compactJSON
      let module = try JSONDecoder().decode(CommandModule.self, from: Data(json.utf8))
      let (_, outputs) = try await host.apply(module)
      #expect(outputs.first?.stdout == "[a b][c  d][e f][$HOME]")
    }
  }

  @Test func `stdin, environment and directory reach the program`() async throws {
    try await withLocalHost { host in
      let module = CommandModule(
        ["sh", "-c", "pwd; printf '%s|' \"$V\"; cat"], directory: HostPath(host.directory),
        environment: ["V": "a 'b' $(c)"], standardInput: "in")
      let (_, outputs) = try await host.apply(module)
      #expect(outputs.first?.stdout == host.directory + "\na 'b' $(c)|in\n")
    }
  }
}

/// Ansible strips trailing newlines from `stdout`.
enum OutputTextForTests {
  static func chomp(_ text: String) -> String {
    var scalars = text.unicodeScalars
    while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
    return String(scalars)
  }
}
