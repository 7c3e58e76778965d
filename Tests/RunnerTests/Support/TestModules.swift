import Engine
import Foundation
import Modules

/// `put`: makes a file hold `content` (a minimal template) — changed only when it differs.
struct Put: PlaybookModule, PrefetchingModule {
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

  func reads(for host: InventoryHost) -> [HostRead] { [.file(path)] }

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
struct Run: PlaybookModule, ResultBuildingModule {
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

  func resultValues(from outputs: [CommandOutput]) -> [String: JSONValue] {
    ["cmd": .array(argv.map(JSONValue.string))]
  }
}

/// `fail`: fails with a message when planned (Ansible's `fail`).
struct Fail: PlaybookModule {
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
struct Ok: PlaybookModule {
  static let name: ModuleName = "ok"
  init() {}
  init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: NoKeys.self)
    try args.finish()
  }
  enum NoKeys: String, CodingKey, CaseIterable { case unused }
  func plan(in context: PlanContext) async throws -> Plan { .unchanged() }
}

/// `env_file`: an environment file (`NAME=value` lines, sorted) written through
/// `ManagedFile`, as a module author outside `Modules` writes a file module: its own logic is
/// the rendering; diffs show only the `public` names' values (the README's example).
struct EnvFile: PlaybookModule, PrefetchingModule {
  static let name: ModuleName = "env_file"

  var path: HostPath
  var values: [String: String]
  /// Names whose values are not secret: shown in diffs, every other value masked.
  var publicNames: Set<String>
  var mode: ModeSpec

  enum CodingKeys: String, CodingKey, CaseIterable {
    case path, values, publicNames = "public", mode
  }

  init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    path = args.required(.path) ?? "/"
    values = args.required(.values) ?? [:]
    publicNames = args.optional(.publicNames, default: [])
    mode = args.optional(.mode, default: "0600")
    try args.finish()
  }

  /// The file wanted; its content is all this module decides.
  var file: ManagedFile {
    let text = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
    return ManagedFile(
      path: path, content: Data(text.utf8), attributes: FileAttributes(mode: mode),
      diffContent: .masked(.valuesExcept(publicNames)))
  }

  func reads(for host: InventoryHost) -> [HostRead] { file.reads }

  func plan(in context: PlanContext) async throws -> Plan {
    try await file.plan(in: context, reporting: file.resultValues)
  }
}

let testModules: [any PlaybookModule.Type] = [Put.self, Run.self, Fail.self, Ok.self, EnvFile.self]
