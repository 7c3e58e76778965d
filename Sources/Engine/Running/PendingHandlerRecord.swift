import Foundation

/// The pending-handler record: the handlers a host has pending (notified, not yet run), kept
/// on the host itself so that they survive a run that stopped between a change and its
/// handler (kill -9, Ctrl-C, a dropped connection, a later failure). This is Ansible's known gap — a rerun sees no change, so the restart never comes
/// (ansible/ansible#10498) — closed: a notifying change is recorded BEFORE it is applied, the
/// record loses a handler only after the handler ran (or once the step, judged, turned out
/// not to notify it: `changed_when` false, a failure), and the next run of the same play
/// notifies whatever the record still holds.
///
/// Vocabulary: a handler is *pending* once notified until it ran; the *record* is the durable
/// copy of a host's pending handlers; a handler is *recorded* while the record lists it.
///
/// The record is `/var/lib/runner/pending-handlers/<playbook>.<play>.<host>.<hash>.json`: a
/// JSON list of handler names (`role : name`). It is kept per playbook (its file name without
/// `.json`), play and inventory host: inventory hosts that are the same machine (several
/// local ones) and same-named plays of other playbooks each have their own. The names are
/// shown with anything but letters, digits, `-` and `_` as `-`, each cut to 40 characters;
/// the hash of the exact three keeps them apart all the same. A crash between recording and
/// applying costs at worst one extra handler run, never a lost one.
struct PendingHandlerRecord: Sendable {
  static let directory: HostPath = "/var/lib/runner/pending-handlers"

  let path: HostPath

  init(play: Play, host: String) {
    var playbook = Substring(play.source.file.split(separator: "/").last ?? "")
    if playbook.hasSuffix(".json") { playbook = playbook.dropLast(5) }
    let key = [String(playbook), play.displayName, host]
    let shown = key.map { part in
      String(
        part.unicodeScalars.prefix(40).map { scalar -> Character in
          scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_")
            ? Character(scalar) : "-"
        })
    }
    path = Self.directory.appending(
      (shown + [StableHash.hex8(key)]).joined(separator: ".") + ".json")
  }

  /// The record holds something other than a JSON list of handler names.
  struct Unparsable: Error, CustomStringConvertible {
    var description: String { "it is not a JSON list of handler names" }
  }

  /// What the record holds: nothing when there is no record. A record that cannot be
  /// read throws the read's error; one that cannot be parsed, `Unparsable`.
  func read(through reader: HostReader) async throws -> [String] {
    guard let data = try await reader.contents(of: path) else { return [] }
    guard case .array(let names)? = try? JSONValue.parse(data) else { throw Unparsable() }
    let handlers = names.compactMap(\.stringValue)
    guard handlers.count == names.count else { throw Unparsable() }
    return handlers
  }

  /// Replaces the record (removing it when it would hold nothing).
  func write(
    _ names: [String], through executor: ActionExecutor, makingDirectory: Bool
  ) async throws {
    if names.isEmpty {
      _ = try await executor.apply([
        Change(
          "forget pending handlers", actions: [.run(Command(["rm", "-f", "--", path.rawValue]))])
      ])
      return
    }
    let json = JSONValue.array(names.map { .string($0) }).compactJSON + "\n"
    let makeDirectory: [Action] =
      makingDirectory ? [.run(Command(["mkdir", "-p", "--", Self.directory.rawValue]))] : []
    _ = try await executor.apply([
      Change(
        "record pending handlers",
        actions: makeDirectory + [.write(FileWrite(Data(json.utf8), to: path, mode: 0o600))])
    ])
  }
}
