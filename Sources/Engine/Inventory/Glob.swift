/// A shell-style glob as Ansible matches host and group names with Python's `fnmatch`: `*`
/// matches any run of characters, `?` one character, `[abc]` or `[a-z]` one of a set and
/// `[!abc]` one outside it; every other character, and a `[` without its `]`, matches itself.
/// Case-sensitive, as `fnmatch` is on POSIX.
struct Glob: Sendable {
  private enum Token: Sendable {
    case character(Character)
    case anyCharacter
    case anyRun
    case set([ClosedRange<Character>], negated: Bool)

    /// Whether this single-character token matches `character` (never true for `anyRun`).
    func matches(_ character: Character) -> Bool {
      switch self {
      case .character(let expected): character == expected
      case .anyCharacter: true
      case .anyRun: false
      case .set(let ranges, let negated): ranges.contains { $0.contains(character) } != negated
      }
    }
  }

  private let tokens: [Token]

  init(_ pattern: String) {
    let characters = Array(pattern)
    var tokens: [Token] = []
    var index = 0
    while index < characters.count {
      let character = characters[index]
      index += 1
      switch character {
      case "*": tokens.append(.anyRun)
      case "?": tokens.append(.anyCharacter)
      case "[":
        if let (set, end) = Self.set(in: characters, from: index) {
          tokens.append(set)
          index = end
        } else {
          tokens.append(.character("["))
        }
      default: tokens.append(.character(character))
      }
    }
    self.tokens = tokens
  }

  /// Whether the pattern has glob characters, as Ansible decides whether to look at host
  /// names besides group names (it counts `.` too, for names such as `web.example.com`).
  static func looksLikePattern(_ text: String) -> Bool {
    text.contains { "*?[.".contains($0) }
  }

  /// The set starting after a `[` at `start`, and the index after its `]`; nil when there is
  /// no closing `]`. A `]` right after `[` or `[!` belongs to the set, as in `fnmatch`.
  private static func set(in characters: [Character], from start: Int) -> (Token, Int)? {
    var index = start
    let negated = index < characters.count && characters[index] == "!"
    if negated { index += 1 }
    let first = index
    if index < characters.count && characters[index] == "]" { index += 1 }
    while index < characters.count && characters[index] != "]" { index += 1 }
    guard index < characters.count else { return nil }
    let members = Array(characters[first..<index])
    var ranges: [ClosedRange<Character>] = []
    var member = 0
    while member < members.count {
      if member + 2 < members.count, members[member + 1] == "-" {
        // A reversed range (`z-a`) matches nothing, as in `fnmatch`.
        if members[member] <= members[member + 2] {
          ranges.append(members[member]...members[member + 2])
        }
        member += 3
      } else {
        ranges.append(members[member]...members[member])
        member += 1
      }
    }
    return (.set(ranges, negated: negated), index + 1)
  }

  /// Whether the whole of `name` matches. Backtracks only to the last `*`, which is enough
  /// because every other token matches exactly one character.
  func matches(_ name: String) -> Bool {
    let text = Array(name)
    var token = 0
    var position = 0
    var lastRun: (token: Int, position: Int)?
    while position < text.count {
      if token < tokens.count {
        if case .anyRun = tokens[token] {
          lastRun = (token, position)
          token += 1
          continue
        }
        if tokens[token].matches(text[position]) {
          token += 1
          position += 1
          continue
        }
      }
      // Mismatch: let the last `*` take one more character, or fail.
      guard let run = lastRun else { return false }
      lastRun = (run.token, run.position + 1)
      token = run.token + 1
      position = run.position + 1
    }
    while token < tokens.count, case .anyRun = tokens[token] { token += 1 }
    return token == tokens.count
  }
}
