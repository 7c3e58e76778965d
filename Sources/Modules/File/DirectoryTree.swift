public import Engine
import Foundation

/// Fact: everything below a directory with its kind, mode and ownership, for `recurse`.
/// One `find` call; entries end with NUL, so any name (newlines included) parses.
public struct DirectoryTree: Fact {
  public var path: HostPath

  public init(of path: HostPath) { self.path = path }

  public var command: Command {
    Command(
      ["find", path.rawValue, "-mindepth", "1", "-printf", "%y|%m|%U|%G|%u|%g|%p\\0"],
      environment: ["LC_ALL": "C"])
  }

  public func parse(_ output: CommandOutput) throws -> [Entry] {
    guard output.succeeded else {
      throw ModuleError("cannot list \(path): \(OutputText.chomp(output.stderr))")
    }
    return try output.standardOutput.split(separator: 0).map { record in
      let text = String(decoding: record, as: UTF8.self)
      let fields = text.split(separator: "|", maxSplits: 6, omittingEmptySubsequences: false)
      guard fields.count == 7, let mode = FileMode(octal: String(fields[1])),
        let uid = Int(fields[2]), let gid = Int(fields[3])
      else {
        throw ModuleError("cannot list \(path): unexpected find output '\(text)'")
      }
      let kind: ExistingFile.Kind =
        switch fields[0] {
        case "d": .directory
        case "l": .link
        default: .file
        }
      return Entry(
        path: HostPath(String(fields[6])),
        status: ExistingFile(
          kind: kind, mode: mode, userID: uid, groupID: gid, owner: String(fields[4]),
          group: String(fields[5])))
    }
  }

  /// One path below the directory.
  public struct Entry: Sendable, Hashable {
    public var path: HostPath
    public var status: ExistingFile
  }
}
