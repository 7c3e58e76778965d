import Engine
import Foundation

/// `put`: makes a file hold `content` (a minimal template) — changed only when it differs.
struct Put: Module, PrefetchingModule {
  static let name: ModuleName = "put"
  var path: HostPath
  var content: String

  enum CodingKeys: String, CodingKey, CaseIterable { case path, content }

  init(path: HostPath, content: String) {
    self.path = path
    self.content = content
  }

  init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    path = args.required(.path) ?? "/"
    content = args.required(.content) ?? ""
    try args.finish()
  }

  func probes(for host: InventoryHost) -> [Probe] { [.file(path)] }

  func plan(in context: PlanContext) async throws -> Plan {
    let current = try await context.contents(of: path).map { String(decoding: $0, as: UTF8.self) }
    if current == content { return .unchanged() }
    return Plan([
      Change(
        "write \(path)",
        diff: Diff(
          before: current ?? "", after: content, beforeHeader: current == nil ? nil : path.rawValue,
          afterHeader: path.rawValue),
        actions: [.write(FileWrite(Data(content.utf8), to: path, mode: 0o644))])
    ])
  }
}

/// `run`: runs argv (a minimal command module): always changed, skipped in check mode.
struct Run: Module, ReportingModule {
  static let name: ModuleName = "run"
  var argv: [String]

  enum CodingKeys: String, CodingKey, CaseIterable { case argv }

  init(_ argv: [String]) { self.argv = argv }

  init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    argv = args.required(.argv) ?? []
    try args.finish()
  }

  func plan(in context: PlanContext) async throws -> Plan {
    Plan(
      [Change("run \(argv.joined(separator: " "))", actions: [.run(Command(argv))])],
      unpredictableReason: "Command would have run if not in check mode")
  }

  func report(outputs: [CommandOutput]) -> [String: JSONValue] {
    ["cmd": .array(argv.map(JSONValue.string))]
  }
}

/// `fail`: fails with a message when planned (Ansible's `fail`).
struct Fail: Module {
  static let name: ModuleName = "fail"
  var msg: String

  enum CodingKeys: String, CodingKey, CaseIterable { case msg }

  init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    msg = args.optional(.msg, default: "Failed as requested from task")
    try args.finish()
  }

  func plan(in context: PlanContext) async throws -> Plan { throw ModuleError(msg) }
}

/// `ok`: never changes anything.
struct Ok: Module {
  static let name: ModuleName = "ok"
  init() {}
  init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: NoKeys.self)
    try args.finish()
  }
  enum NoKeys: String, CodingKey, CaseIterable { case unused }
  func plan(in context: PlanContext) async throws -> Plan { .unchanged() }
}

let testModules: [any Module.Type] = [Put.self, Run.self, Fail.self, Ok.self]
