import Foundation

/// How the console looks: Ansible's colours or none, the banner width, and whether long
/// waits may show as a status line. Chosen once by the CLI from the terminal and the
/// environment (`choose`), so the formatter itself never asks the system.
public struct ConsoleStyle: Sendable, Equatable {
  /// Wrap lines in Ansible's SGR colour codes.
  public var colours: Bool
  /// Banner width before its trailing space: Ansible's `max(79, terminal columns - 1)`.
  public var columns: Int
  /// Standard output is a terminal: a status line can be drawn there and cleared.
  public var isTerminal: Bool

  public init(colours: Bool, columns: Int, isTerminal: Bool) {
    self.colours = colours
    self.columns = columns
    self.isTerminal = isTerminal
  }

  /// Off a terminal, as ansible-playbook prints into a pipe: no colours, 80-column banners.
  public static let plain = ConsoleStyle(colours: false, columns: 79, isTerminal: false)

  /// ansible-core's rules (`utils/color.py`, `Display._set_column_width`): colours on a
  /// terminal that has them, off with `ANSIBLE_NOCOLOR` or `NO_COLOR` (or the settings
  /// file's `nocolor`), on anywhere with `ANSIBLE_FORCE_COLOR` (or `force_color`), which
  /// wins over both; environment over settings file, as Ansible's configuration goes.
  public static func choose(
    isTerminal: Bool, terminalColumns: Int?, environment: [String: String],
    settings: ColourSettings = ColourSettings()
  ) -> ConsoleStyle {
    let noColour =
      flag(environment["ANSIBLE_NOCOLOR"]) ?? flag(environment["NO_COLOR"]) ?? settings.noColour
      ?? false
    let forceColour = flag(environment["ANSIBLE_FORCE_COLOR"]) ?? settings.forceColour ?? false
    // curses finds no colours for an unknown or `dumb` terminal
    let term = environment["TERM"] ?? ""
    let terminalHasColours = isTerminal && !term.isEmpty && term != "dumb"
    let columns = isTerminal ? max(79, (terminalColumns ?? 0) - 1) : 79
    return ConsoleStyle(
      colours: forceColour || (!noColour && terminalHasColours), columns: columns,
      isTerminal: isTerminal)
  }

  /// `Display.banner`: an empty line, then the message (trimmed) and stars up to the banner
  /// width (at least three), counted in terminal columns.
  public func banner(_ message: String) -> String {
    let message = message.trimmingCharacters(in: .whitespacesAndNewlines)
    let stars = max(3, columns - TerminalWidth.of(message))
    return "\n\(message) \(String(repeating: "*", count: stars))\n"
  }

  /// Ansible's boolean environment values; an unset or empty variable says nothing.
  static func flag(_ text: String?) -> Bool? {
    guard let text, !text.isEmpty else { return nil }
    return ["1", "true", "yes", "on", "y", "t"].contains(text.lowercased())
  }
}

/// The settings file's `nocolor` and `force_color` (ansible.cfg's names).
public struct ColourSettings: Sendable, Equatable {
  public var noColour: Bool?
  public var forceColour: Bool?

  public init(noColour: Bool? = nil, forceColour: Bool? = nil) {
    self.noColour = noColour
    self.forceColour = forceColour
  }
}

/// What a line means, and so its colour: ansible-core's `COLOR_*` defaults.
enum ConsoleTone: Sendable {
  case ok, changed, error, skip, unreachable, warning, debug, verbose, included
  case diffAdd, diffRemove, diffLines

  /// The SGR parameters of Ansible's colour names (`constants.COLOR_CODES`).
  var code: String {
    switch self {
    case .ok, .diffAdd: "0;32"  // green
    case .changed: "0;33"  // yellow
    case .error, .diffRemove: "0;31"  // red
    case .skip, .included, .diffLines: "0;36"  // cyan
    case .unreachable: "1;31"  // bright red
    case .warning: "1;35"  // bright purple
    case .debug: "1;30"  // dark gray
    case .verbose: "0;34"  // blue
    }
  }

  /// `stringc`: each line wrapped on its own, so a colour never runs past a line's end.
  func paint(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map {
      "\u{1B}[\(code)m\($0)\u{1B}[0m"
    }.joined(separator: "\n")
  }
}
