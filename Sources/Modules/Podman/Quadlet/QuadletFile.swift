/// A unit file as Quadlet reads it: named sections of ordered `Key=value` lines. Pure data
/// and text; `QuadletUnit` builds it from typed values, after checking every value.
public struct QuadletFile: Sendable, Hashable {
  public struct Section: Sendable, Hashable {
    public var name: String
    public var entries: [QuadletEntry]

    public init(_ name: String, _ entries: [QuadletEntry]) {
      self.name = name
      self.entries = entries
    }
  }

  /// The comment written at the top. Comment lines never count as a change, so rewording it
  /// rewrites no host's file.
  public static let header = "# Written by runner; edits here are overwritten on the next run."

  public var sections: [Section]

  public init(_ sections: [Section]) { self.sections = sections }

  /// The file's text: the header, then each non-empty section, a blank line between sections.
  public var text: String {
    let blocks = sections.filter { !$0.entries.isEmpty }.map { section in
      (["[\(section.name)]"] + section.entries.map(\.description)).joined(separator: "\n")
    }
    return ([Self.header] + blocks).joined(separator: "\n\n") + "\n"
  }

  /// The lines that matter: every line except comments and blank lines, in order. A comment
  /// is what systemd reads as one: a line whose first non-blank character is `#` or `;`.
  /// Two files with the same significant lines are the same unit to us (the podman
  /// collection's `compare_systemd_file_content` drops lines starting with `#` and compares
  /// the rest as sets; we keep their order, which matters for `Exec` and repeated keys, and
  /// also ignore what systemd ignores: `;` and indented comments, and blank lines).
  public static func significantLines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).filter { line in
      guard let first = line.first(where: { !$0.isWhitespace }) else { return false }
      return first != "#" && first != ";"
    }
  }

  /// Whether two unit files differ only in comment and blank lines.
  public static func sameIgnoringComments(_ lhs: String, _ rhs: String) -> Bool {
    significantLines(of: lhs) == significantLines(of: rhs)
  }
}
