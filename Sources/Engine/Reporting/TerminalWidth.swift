/// How many terminal columns a text takes, as Ansible's `get_text_width` (libc `wcswidth`)
/// counts them: combining marks take none, East Asian wide characters and emoji take two.
/// Banners use it so a `TASK [配置]` line still ends in column 80, as Ansible's does.
enum TerminalWidth {
  static func of(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + columns(of: $1) }
  }

  private static func columns(of scalar: Unicode.Scalar) -> Int {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    return isEastAsianWide(scalar.value) ? 2 : 1
  }

  /// The wide and fullwidth blocks of Unicode's East Asian Width table.
  private static func isEastAsianWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return true
    default:
      return false
    }
  }
}
