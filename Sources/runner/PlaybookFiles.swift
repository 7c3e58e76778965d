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

/// Template files of a JSON playbook, looked up as Ansible does: `templates/<src>` beside the
/// playbook, then `<src>` relative to the playbook's folder (or absolute).
struct PlaybookTemplates: TemplateSource {
  let directory: URL

  func text(of source: String) throws -> String {
    let lookup = PlaybookFileLookup(directory: directory, folder: "templates", what: "template")
    let (url, data) = try lookup.read(source)
    return try Self.text(of: data, at: url.path)
  }

  /// The file's text; a byte that is not UTF-8 is refused with its offset, as Ansible refuses
  /// it, rather than replaced (which would write a different file than the one given).
  static func text(of data: Data, at path: String) throws -> String {
    if let text = String(validating: data, as: UTF8.self) { return text }
    var parser = Unicode.UTF8.ForwardParser()
    var bytes = data.makeIterator()
    var offset = 0
    scan: while true {
      switch parser.parseScalar(from: &bytes) {
      case .valid(let scalar): offset += scalar.count
      case .error, .emptyInput: break scan
      }
    }
    throw ModuleError(
      "template \(path) is not valid UTF-8 (byte offset \(offset))",
      hint: "convert it to UTF-8, e.g. iconv -f LATIN1 -t UTF-8")
  }
}
