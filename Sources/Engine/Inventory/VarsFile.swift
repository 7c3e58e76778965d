public import Foundation

/// A file of variables (`group_vars/`, `host_vars/`): JSON. Any other content is refused
/// with what runner expects rather than guessed at.
public enum VarsFile {
  public static func parse(_ data: Data, file: String) throws -> JSONValue {
    let text = String(decoding: data, as: UTF8.self)
    if text.allSatisfy(\.isWhitespace) { return .null }
    do {
      return try JSONValue.parse(data)
    } catch {
      throw DefinitionErrors([PlaybookLoader.diagnostic(for: error, in: file)])
    }
  }
}
