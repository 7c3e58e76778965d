import Foundation

/// What the CLI asks of the terminal: whether standard output is one, and how wide it is.
enum Terminal {
  static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// Standard output's columns (`TIOCGWINSZ`, as Ansible's `_set_column_width`); nil off a
  /// terminal.
  static var columns: Int? {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }
}
