import Engine
import Foundation
import Modules

extension FakeHost {
  /// Scripts the `stat` fact for `path` (plain and `-L`, unless `following` picks one):
  /// found with the given kind, mode and owner, or absent ("No such file or directory").
  func stat(_ path: HostPath, _ file: ExistingFile?, following: Bool? = nil) {
    let variants = following.map { [$0] } ?? [false, true]
    for follows in variants {
      let arguments = FileStatus(of: path, followingLinks: follows).command.arguments
      let output =
        file.map { CommandOutput(exitCode: 0, stdout: FakeHost.statLine($0) + "\n") }
        ?? CommandOutput(
          exitCode: 1, stdout: "",
          stderr: "stat: cannot statx '\(path)': No such file or directory\n")
      respond { $0.arguments == arguments ? output : nil }
    }
  }

  /// `%f|%u|%g|%U|%G` for a file, as GNU stat prints it.
  static func statLine(_ file: ExistingFile) -> String {
    let typeBits: UInt32 =
      switch file.kind {
      case .file: 0o100000
      case .directory: 0o040000
      case .link: 0o120000
      }
    let raw = String(typeBits | UInt32(file.mode.bits), radix: 16)
    return "\(raw)|\(file.userID)|\(file.groupID)|\(file.owner)|\(file.group)"
  }
}

extension ExistingFile {
  static func file(_ mode: FileMode = 0o644, owner: String = "root", group: String = "root")
    -> ExistingFile
  {
    ExistingFile(kind: .file, mode: mode, owner: owner, group: group)
  }

  static func directory(_ mode: FileMode = 0o755, owner: String = "root") -> ExistingFile {
    ExistingFile(kind: .directory, mode: mode, owner: owner)
  }

  static let link = ExistingFile(kind: .link, mode: 0o777)
}
