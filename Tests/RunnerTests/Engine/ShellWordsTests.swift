import Engine
import Testing

/// `ShellWords`: a command line split into argv as a POSIX shell splits words, nothing
/// expanded.
struct ShellWordsTests {
  static let words: [(String, [String])] = [
    ("", []),
    ("  \t \n ", []),
    ("echo hi", ["echo", "hi"]),
    ("  echo   hi  ", ["echo", "hi"]),
    ("a\tb\nc", ["a", "b", "c"]),
    (#"--access-logformat "%(h)s %(r)s""#, ["--access-logformat", "%(h)s %(r)s"]),
    ("sh -c 'a b'", ["sh", "-c", "a b"]),
    ("''", [""]),
    (#"a "" b"#, ["a", "", "b"]),
    (#"'it'\''s'"#, ["it's"]),
    (#"pre'quoted part'post"#, ["prequoted partpost"]),
    (#"'no \ escapes "here"'"#, [#"no \ escapes "here""#]),
    (#""a \"b\" \\ \$HOME \`x\`""#, [#"a "b" \ $HOME `x`"#]),
    (#""keeps \n and \x""#, [#"keeps \n and \x"#]),
    (#"a\ b"#, ["a b"]),
    (#"\'\"\\"#, [#"'"\"#]),
    ("one\\\ntwo", ["onetwo"]),
    ("\"joined\\\nline\"", ["joinedline"]),
    ("$HOME *.txt ~ ; | & $(id) `id`", ["$HOME", "*.txt", "~", ";", "|", "&", "$(id)", "`id`"]),
    ("é 'ünï cödé' 🔑", ["é", "ünï cödé", "🔑"]),
    ("a\r\nb", ["a", "b"]),
  ]

  @Test(arguments: words)
  func `words are split as a shell splits them, nothing expanded`(line: String, words: [String])
    throws
  {
    #expect(try ShellWords.split(line) == words)
  }

  static let problems: [(String, String)] = [
    ("echo 'a b", "unterminated ' quote (opened at character 6)"),
    (#"echo "a b"#, #"unterminated " quote (opened at character 6)"#),
    (#"x "a\"#, #"unterminated " quote (opened at character 3)"#),
    (#"'ok' "open"#, #"unterminated " quote (opened at character 6)"#),
    (#"--log "x" 'y"#, "unterminated ' quote (opened at character 11)"),
    ("echo \\", "a lone \\ at the end (character 6) escapes nothing"),
  ]

  @Test(arguments: problems)
  func `an unterminated quote or a lone backslash is refused, saying where`(
    line: String, message: String
  ) {
    let problem = #expect(throws: ShellWords.Problem.self) { try ShellWords.split(line) }
    #expect(problem?.description == message)
  }
}
