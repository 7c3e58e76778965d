public import Foundation

/// One atomic file write, as a `Connection` carries it out.
public struct FileWrite: Sendable, Hashable {
  public var path: HostPath
  public var contents: Data
  public var mode: FileMode?
  public var owner: String?
  public var group: String?
  /// Run on the temp file before the rename; `%s` in an argument is the temp file's path.
  public var validate: Command?
  /// Where the old file is copied (`cp -p --backup=numbered`) once validation passed, just
  /// before the rename: a rejected file leaves no backup behind.
  public var backup: HostPath?

  public init(
    _ contents: Data, to path: HostPath, mode: FileMode? = nil, owner: String? = nil,
    group: String? = nil, validate: Command? = nil, backup: HostPath? = nil
  ) {
    self.backup = backup
    self.path = path
    self.contents = contents
    self.mode = mode
    self.owner = owner
    self.group = group
    self.validate = validate
  }
}
