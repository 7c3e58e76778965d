public import Engine

/// Fact: what is at a path right now (kind, permission bits, owner and group), or nil when
/// nothing is. One `stat` call; `%f` is the raw mode in hex, so the kind comes from the mode
/// bits and not from a localized word, and `LC_ALL=C` keeps the error text parseable.
public struct FileStatus: Fact {
  public var path: HostPath
  /// `stat -L`: describe what a symlink points to (nil for a dangling link).
  public var followsLinks: Bool

  public init(of path: HostPath, followingLinks: Bool = false) {
    self.path = path
    self.followsLinks = followingLinks
  }

  /// Kind and mode bits (raw, hex), owner and group ids, their names.
  static let format = "%f|%u|%g|%U|%G"

  public var command: Command {
    Command(
      ["stat"] + (followsLinks ? ["-L"] : []) + ["-c", Self.format, "--", path.rawValue],
      environment: ["LC_ALL": "C"])
  }

  public func parse(_ output: CommandOutput) throws -> ExistingFile? {
    guard output.succeeded else {
      let reasons = ["No such file or directory", "Not a directory"]
      if reasons.contains(where: output.stderr.contains) { return nil }
      throw ModuleError("cannot inspect \(path): \(OutputText.chomp(output.stderr))")
    }
    let line = OutputText.chomp(output.stdout)
    let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 5, let raw = UInt32(fields[0], radix: 16), let uid = Int(fields[1]),
      let gid = Int(fields[2])
    else {
      throw ModuleError("cannot inspect \(path): unexpected stat output '\(line)'")
    }
    return ExistingFile(
      kind: ExistingFile.Kind(rawMode: raw), mode: FileMode(UInt16(raw & 0o7777)), userID: uid,
      groupID: gid, owner: fields[3], group: fields[4])
  }
}

/// A file, directory or symlink found on a host.
public struct ExistingFile: Sendable, Hashable {
  /// Ansible's names for what is at a path; sockets, fifos and devices count as `file`, as
  /// Ansible's `get_state` says.
  public enum Kind: String, Sendable, Hashable {
    case file, directory, link

    init(rawMode: UInt32) {
      switch rawMode & 0o170000 {
      case 0o040000: self = .directory
      case 0o120000: self = .link
      default: self = .file
      }
    }
  }

  public var kind: Kind
  public var mode: FileMode
  public var userID: Int
  public var groupID: Int
  /// `UNKNOWN` when the id has no name on the host.
  public var owner: String
  public var group: String

  public init(
    kind: Kind, mode: FileMode, userID: Int = 0, groupID: Int = 0, owner: String = "root",
    group: String = "root"
  ) {
    self.kind = kind
    self.mode = mode
    self.userID = userID
    self.groupID = groupID
    self.owner = owner
    self.group = group
  }
}

/// Helpers for command output text.
enum OutputText {
  /// Without trailing newlines (a command's last line), everything else kept, as Ansible
  /// strips `stdout`.
  static func chomp(_ text: String) -> String {
    var scalars = text.unicodeScalars
    while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
    return String(scalars)
  }
}
