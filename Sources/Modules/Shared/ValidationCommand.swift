public import Engine

/// A file module's `validate` argument (`"visudo -cf %s"`): the command run on the new
/// content before it replaces the old, `%s` standing for the temp file's path. Kept as the
/// text the author wrote, so that a problem can be reported at decoding and at validation in
/// the author's words, and turned into argv only when a write is planned.
public struct ValidationCommand: Sendable, Hashable {
  /// The command as written.
  public var text: String

  public init(_ text: String) { self.text = text }

  /// Why the command cannot be used (no `%s`, an unbalanced quote), or nil.
  public var problem: String? {
    do {
      let words = try ShellWords.split(text)
      if !words.contains(where: { $0.contains("%s") }) {
        return "validate must contain %s: \(text)"
      }
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// The validator as argv, split as a shell splits words (`'…'` and `"…"` quote); the temp
  /// file's path replaces `%s` inside its word, never split again.
  public func command() throws -> Command {
    do {
      return Command(try ShellWords.split(text))
    } catch {
      throw ModuleError("validate: \(error)")
    }
  }
}
