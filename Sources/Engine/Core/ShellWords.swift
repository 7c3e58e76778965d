/// Splits a command line written as one string into argv, the way a POSIX shell splits words,
/// and nothing more: `'…'` keeps everything literally, `"…"` keeps everything but lets `\`
/// escape `"`, `\`, `$` and `` ` `` (a `\` before any other character stays), and outside
/// quotes `\` makes the next character literal (`\` before a newline joins the lines). Words
/// are separated by spaces, tabs and newlines. Nothing is expanded — no `$VAR`, no globs, no
/// `~` — and `;`, `|` or `&` are ordinary characters, because no shell ever sees the words.
///
/// `--access-logformat "%(h)s %(r)s"` is two words and `sh -c 'a b'` three; `''` is one empty
/// word. An unterminated quote or a trailing lone `\` is an error, never a guess.
///
/// (Python's `shlex.split`, which Ansible's `command` uses, differs only inside double quotes:
/// it keeps the `\` of `\$` and `` \` ``.)
public enum ShellWords {
  /// Why a line cannot be split; the message says where.
  public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
  }

  /// The words of `line`.
  public static func split(_ line: String) throws(Problem) -> [String] {
    let characters = Array(line)
    var words: [String] = []
    var word = ""
    /// A word has started, even when it is still empty (`''`).
    var inWord = false
    var index = 0
    /// The character at `index`, moving past it; nil at the end.
    func take() -> Character? {
      guard index < characters.count else { return nil }
      defer { index += 1 }
      return characters[index]
    }
    func unterminated(_ quote: Character, openedAt position: Int) -> Problem {
      Problem(description: "unterminated \(quote) quote (opened at character \(position + 1))")
    }
    while let character = take() {
      let position = index - 1
      switch character {
      case _ where character == " " || character == "\t" || character.isNewline:
        if inWord { words.append(word) }
        word = ""
        inWord = false
      case "'":
        inWord = true
        while true {
          guard let quoted = take() else { throw unterminated("'", openedAt: position) }
          if quoted == "'" { break }
          word.append(quoted)
        }
      case "\"":
        inWord = true
        quoting: while true {
          guard let quoted = take() else { throw unterminated("\"", openedAt: position) }
          switch quoted {
          case "\"": break quoting
          case "\\":
            guard let escaped = take() else { throw unterminated("\"", openedAt: position) }
            if escaped.isNewline { continue }
            if !"\"\\$`".contains(escaped) { word.append("\\") }
            word.append(escaped)
          default: word.append(quoted)
          }
        }
      case "\\":
        guard let escaped = take() else {
          throw Problem(
            description: "a lone \\ at the end (character \(position + 1)) escapes nothing")
        }
        if !escaped.isNewline {
          word.append(escaped)
          inWord = true
        }
      default:
        word.append(character)
        inWord = true
      }
    }
    if inWord { words.append(word) }
    return words
  }
}
