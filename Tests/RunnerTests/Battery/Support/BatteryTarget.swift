import Engine
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One battery run's world: a temp directory holding the files `runner` reads (playbook,
/// inventory, extra vars) and `out/`, a tree with existing content that the playbooks would
/// change if anything ran. "Nothing changed" is then a byte-for-byte comparison of `out/`:
/// every path, kind, mode and byte (`LocalTree.snapshot`).
///
/// Text given to it may hold `@DIR@` (the temp directory) and `@OUT@` (the target tree).
final class BatteryTarget: Sendable {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory()
    try directory.write("out/existing.conf", "old content\n")
    try directory.write("out/secret.env", "TOKEN=old\n")
    try FileManager.default.createDirectory(
      atPath: directory.path("out/d"), withIntermediateDirectories: true)
    chmod(directory.path("out/existing.conf"), 0o644)
    chmod(directory.path("out/secret.env"), 0o600)
    chmod(directory.path("out/d"), 0o755)
  }

  var out: String { directory.path("out") }

  func expand(_ text: String) -> String {
    text.replacing("@DIR@", with: directory.url.path).replacing("@OUT@", with: out)
  }

  /// `expand` undone: the case's own paths written as `@DIR@` and `@OUT@` again.
  func relative(_ text: String) -> String {
    text.replacing(out, with: "@OUT@").replacing(directory.url.path, with: "@DIR@")
  }

  /// Writes the files of a case into the temp directory.
  func write(_ files: [String: BatteryFile]) throws {
    for (name, file) in files.sorted(by: { $0.key < $1.key }) {
      let url = directory.url.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try file.data(expand: expand).write(to: url)
    }
  }

  /// Every entry under `out/`, with kind, mode and bytes.
  func snapshot() throws -> [String: String] { try LocalTree.snapshot(out) }

  /// Runs the real `runner` with `arguments` (placeholders expanded).
  func run(_ arguments: [String]) throws -> RunnerProcess.Result {
    try RunnerProcess.run(arguments.map(expand))
  }
}

/// A file of a battery case.
enum BatteryFile: Sendable {
  /// Text, placeholders expanded.
  case text(String)
  /// Text, placeholders expanded, in UTF-16 (little-endian, no byte order mark).
  case utf16(String)
  /// A syntactically valid playbook padded with blanks to `bytes` bytes (the size limit).
  case padded(bytes: Int)
  /// `playbooks/dci_api.json` for host `h1`, adjusted (see `DCIAPIPlaybook`).
  case dciAPI(DCIAPIPlaybook)

  func data(expand: (String) -> String) throws -> Data {
    switch self {
    case .text(let text):
      return Data(expand(text).utf8)
    case .utf16(let text):
      return Data(expand(text).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    case .padded(let bytes):
      let body = #"[{"hosts": "h1", "tasks": []}]"#
      return Data((body + String(repeating: " ", count: max(0, bytes - body.utf8.count))).utf8)
    case .dciAPI(let playbook):
      return Data(expand(try playbook.render()).utf8)
    }
  }
}

/// The shipped `playbooks/dci_api.json`, aimed at host `h1` of a local inventory, with its
/// play `vars` adjusted. Its `pre_tasks` first write `@OUT@/ran` (so a run that starts is
/// caught by the snapshot) and then fail on purpose: if validation ever let a bad case
/// through, the host stops there and the role never touches this machine's `/etc`.
struct DCIAPIPlaybook: Sendable {
  /// Play variables to set; `.null` removes one.
  var vars: [String: JSONValue] = [:]
  /// Drop the play's `vars` entirely (every required variable missing).
  var withoutVars = false
  /// The play's `roles` entry.
  var role: JSONValue = "dci_api"
  /// The play's `pre_tasks`: steps that end by failing, so the role never runs here.
  var preSteps: JSONValue = guardSteps

  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let guardSteps: JSONValue = [
    ["name": "Mark that a run started", "template": ["content": "ran\n", "dest": "@OUT@/ran"]],
    ["name": "Stop before the role touches this machine", "command": ["argv": ["false"]]],
  ]

  func render() throws -> String {
    let url = Self.repository.appendingPathComponent("playbooks/dci_api.json")
    guard case .array(var plays) = try JSONValue.parse(try Data(contentsOf: url)),
      case .object(var play) = plays.first
    else { throw CocoaError(.fileReadCorruptFile) }
    play["hosts"] = "h1"
    play["pre_tasks"] = preSteps
    play["roles"] = [role]
    var playVars = withoutVars ? [:] : (play["vars"]?.objectValue ?? [:])
    for (key, value) in vars {
      playVars[key] = value == .null ? nil : value
    }
    play["vars"] = .object(playVars)
    plays[0] = .object(play)
    return JSONValue.array(plays).prettyJSON(indent: 2) + "\n"
  }
}
