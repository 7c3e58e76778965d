/// Where a definition comes from: a Swift source line for roles written in Swift, or a JSON
/// file and path for playbooks, inventories and `-e @file` (with the line and column when the
/// text itself is at fault, as for a JSON syntax error).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var column: Int?
  public var path: JSONPath?

  public init(file: String, line: Int? = nil, column: Int? = nil, path: JSONPath? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.path = path
  }

  /// Where a JSON syntax error is in `file`.
  public init(file: String, syntaxError error: JSONSyntaxError) {
    self.init(file: file, line: error.line, column: error.column, path: error.path)
  }

  /// Captures the caller's Swift location; used as a default argument.
  public static func here(fileID: String = #fileID, line: Int = #line) -> SourceLocation {
    SourceLocation(file: fileID, line: line)
  }

  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let line, let column, line > 0 { text += ":\(column)" }
    if let path, !path.isRoot { text += ": \(path)" }
    return text
  }
}
