/// Quotes argv for the POSIX shell on the far side of `ssh`, which joins its arguments into
/// one string and hands it to the remote user's shell. Every argument is single-quoted, with
/// each `'` written as `'\''`, so no value (spaces, quotes, `$`, backticks, `;`, newlines,
/// globs) is ever split, expanded or run.
enum RemoteShellQuoting {
  /// One argument as a single shell word.
  static func quote(_ argument: String) -> String {
    "'" + argument.replacing("'", with: "'\\''") + "'"
  }

  /// The argv as one shell command line.
  static func commandLine(_ arguments: [String]) -> String {
    arguments.map(quote).joined(separator: " ")
  }
}
