/// Values that break anything that builds shell text from them: spaces, both quotes, command
/// substitution, backticks, `;`, newlines, globs, a leading dash, backslashes and `%s`.
enum HostileValues {
  static let strings: [String] = [
    "plain",
    "with space",
    "it's 'quoted'",
    "\"double\" quotes",
    "$(touch /tmp/runner-pwned)",
    "`id`",
    "a; rm -rf /tmp/runner-pwned",
    "line one\nline two\n",
    "*",
    "-n",
    "back\\slash \\n",
    "%s and %d",
    "${HOME} $HOME $$",
    "",
    "unicode ✓ é",
  ]

  /// File names from the same list (`/` turned into `_`; no empty name, no `*` alone).
  static let fileNames: [String] =
    strings.filter { !$0.isEmpty && $0 != "*" }.map { $0.replacing("/", with: "_") }
    + ["star*glob?", ".hidden"]
}
