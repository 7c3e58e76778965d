import Connections
import Engine
import Foundation

/// Reads the files a run starts from, with the checks an operator needs to hear about before
/// anything happens: a directory, a missing or empty file, a file too large to be a playbook.
enum PlaybookFiles {
  static let maximumSize = 16 * 1024 * 1024

  static func read(_ path: String, what: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DefinitionErrors([
        Diagnostic(at: SourceLocation(file: path), "the \(what) file does not exist")
      ])
    }
    if isDirectory.boolValue {
      throw DefinitionErrors([
        Diagnostic(
          at: SourceLocation(file: path), "the \(what) path is a directory, expected a JSON file")
      ])
    }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? Int, size > maximumSize {
      throw DefinitionErrors([
        Diagnostic(
          at: SourceLocation(file: path),
          "the \(what) file is \(size) bytes, more than the \(maximumSize) a \(what) may have")
      ])
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DefinitionErrors([
        Diagnostic(at: SourceLocation(file: path), "the \(what) file cannot be read")
      ])
    }
    if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
      throw DefinitionErrors([
        Diagnostic(at: SourceLocation(file: path), "the \(what) file is empty")
      ])
    }
    return data
  }
}
