import Foundation

/// Handlers a host still owes, kept on the host itself so that they survive a run that
/// stopped between a change and its handler (kill -9, Ctrl-C, a dropped connection, a later
/// failure). This is Ansible's known gap — a rerun sees no change, so the restart never comes
/// (ansible/ansible#10498) — closed: a notifying change is recorded BEFORE it is applied, the
/// record loses a handler only after the handler ran, and the next run of the same play
/// notifies whatever the record still holds.
///
/// The record is `/var/lib/runner/pending-handlers/<play>.json`: a JSON list of handler names
/// (`role : name`). A crash between recording and applying costs at worst one extra handler
/// run, never a lost one.
struct PendingHandlerLedger: Sendable {
  static let directory: HostPath = "/var/lib/runner/pending-handlers"

  let path: HostPath

  init(play: Play) {
    let key = play.displayName.unicodeScalars.map { scalar -> String in
      CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII ? String(scalar) : "-"
    }.joined()
    path = Self.directory.appending(String(key.prefix(100)) + ".json")
  }

  /// What the host still owes (nothing when there is no record or it cannot be read).
  func read(through reader: HostReader) async -> [HandlerID] {
    guard let data = try? await reader.contents(of: path),
      case .array(let names) = (try? JSONValue.parse(data)) ?? .null
    else { return [] }
    return names.compactMap(\.stringValue).map { HandlerID($0) }
  }

  /// Replaces the record (removing it when nothing is owed).
  func write(
    _ names: [HandlerID], through executor: ActionExecutor, makingDirectory: Bool
  ) async throws {
    if names.isEmpty {
      _ = try await executor.apply([
        Change(
          "forget pending handlers", actions: [.run(Command(["rm", "-f", "--", path.rawValue]))])
      ])
      return
    }
    let json = JSONValue.array(names.map { .string($0.rawValue) }).compactJSON + "\n"
    let makeDirectory: [Action] =
      makingDirectory ? [.run(Command(["mkdir", "-p", "--", Self.directory.rawValue]))] : []
    _ = try await executor.apply([
      Change(
        "record pending handlers",
        actions: makeDirectory + [.write(FileWrite(Data(json.utf8), to: path, mode: 0o600))])
    ])
  }
}
