import Connections
import Engine
import Foundation

/// Plans a module against a host (a `FakeHost`, or a real connection), as the engine would:
/// a fresh read cache per plan, check mode on request. Shared by the File, Template and
/// Command module tests.
func plan(
  _ module: some Module, on connection: any Connection, checkMode: Bool = false,
  templates: (any TemplateSource)? = nil, files: (any PlaybookFileSource)? = nil,
  variables: [String: JSONValue] = [:]
) async throws -> Plan {
  let host = InventoryHost(name: "h1")
  let scope = StepScope(
    host: host, variables: Variables(layers: [variables]), isCheckMode: checkMode)
  let context = PlanContext(
    host: host, isCheckMode: checkMode, reader: HostReader(connection: connection), scope: scope,
    templates: templates, files: files)
  return try await module.plan(in: context)
}

/// The actions of every change of a plan, flattened, for table comparisons.
extension Plan {
  var actions: [Action] { changes.flatMap(\.actions) }

  /// The argv of each command action (writes shown as `write <path>`).
  var steps: [[String]] {
    actions.map { action in
      switch action {
      case .run(let command, _): command.arguments
      case .write(let file): ["write", file.path.rawValue]
      }
    }
  }
}

/// A real temp directory on this machine reached through `LocalConnection`: modules are
/// planned and applied (through `ActionExecutor`) exactly as the engine does it.
struct LocalHostHarness {
  let directory: String
  let connection = LocalConnection()

  /// A path inside the temp directory.
  func path(_ relative: String) -> HostPath { HostPath(directory + "/" + relative) }

  func plan(
    _ module: some Module, checkMode: Bool = false, templates: (any TemplateSource)? = nil,
    variables: [String: JSONValue] = [:]
  ) async throws -> Plan {
    try await RunnerTests.plan(
      module, on: connection, checkMode: checkMode, templates: templates, variables: variables)
  }

  /// Plans and applies; returns the plan that was applied and the outputs of its commands.
  @discardableResult
  func apply(
    _ module: some Module, templates: (any TemplateSource)? = nil,
    variables: [String: JSONValue] = [:]
  ) async throws -> (plan: Plan, outputs: [CommandOutput]) {
    let plan = try await plan(module, templates: templates, variables: variables)
    let outputs = try await ActionExecutor(connection: connection).apply(plan.changes)
    return (plan, outputs)
  }

  func text(_ relative: String) throws -> String {
    try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
  }

  func mode(_ relative: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + relative)
    return (attributes[.posixPermissions] as? Int) ?? -1
  }

  func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: directory + "/" + relative)
  }

  func snapshot() throws -> [String: String] { try LocalTree.snapshot(directory) }
}

/// Runs `body` with a harness on a fresh temp directory, removed afterwards.
func withLocalHost(_ body: (LocalHostHarness) async throws -> Void) async throws {
  try await withTemporaryDirectory { directory in
    try await body(LocalHostHarness(directory: directory))
  }
}

/// Playbook template files kept in memory.
struct InMemoryTemplates: TemplateSource {
  var files: [String: String]

  func text(of source: String) throws -> String {
    guard let text = files[source] else {
      throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: source])
    }
    return text
  }
}

/// Playbook files for `copy: {src: …}` kept in memory, found under `/playbooks/files/`.
struct InMemoryPlaybookFiles: PlaybookFileSource {
  var files: [String: String]

  func file(_ source: String) throws -> PlaybookFile {
    guard let text = files[source] else { throw ModuleError("src '\(source)' not found") }
    return PlaybookFile(path: "/playbooks/files/" + source, contents: Data(text.utf8))
  }
}
