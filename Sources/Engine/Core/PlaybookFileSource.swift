public import Foundation

/// The files a playbook ships for modules to copy as they are (`copy: {src: …}`), read on the
/// machine running `runner`; the CLI provides them, found as Ansible finds them, relative to
/// the playbook's folder. Bytes, not text: a copied file may be binary.
public protocol PlaybookFileSource: Sendable {
  /// The file named `source` as the playbook wrote it; throws when it cannot be found or read.
  func file(_ source: String) throws -> PlaybookFile
}

/// A playbook file found for a module: where it was found (Ansible heads `copy`'s diff with
/// it) and its bytes.
public struct PlaybookFile: Sendable, Hashable {
  public var path: String
  public var contents: Data

  public init(path: String, contents: Data) {
    self.path = path
    self.contents = contents
  }
}
