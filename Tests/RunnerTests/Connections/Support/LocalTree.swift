import Foundation

/// Reads a real directory for assertions: names, modes, and a full snapshot of a tree.
enum LocalTree {
  static func mode(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? Int) ?? -1
  }

  static func names(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory)
  }

  /// Every entry below `root` with its kind, mode and bytes (or link target): equal snapshots
  /// mean nothing was created, removed, rewritten or chmod-ed.
  static func snapshot(_ root: String) throws -> [String: String] {
    var entries: [String: String] = [:]
    let manager = FileManager.default
    let paths = try manager.subpathsOfDirectory(atPath: root) + [""]
    for relative in paths {
      let path = relative.isEmpty ? root : root + "/" + relative
      let attributes = try manager.attributesOfItem(atPath: path)
      let type = attributes[.type] as? FileAttributeType
      let mode = String((attributes[.posixPermissions] as? Int) ?? -1, radix: 8)
      switch type {
      case .typeSymbolicLink?:
        entries[relative] = "link -> " + (try manager.destinationOfSymbolicLink(atPath: path))
      case .typeDirectory?:
        entries[relative] = "directory \(mode)"
      default:
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        entries[relative] = "file \(mode) \(bytes.base64EncodedString())"
      }
    }
    return entries
  }
}
