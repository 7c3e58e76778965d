import Connections
import Engine
import Foundation

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
