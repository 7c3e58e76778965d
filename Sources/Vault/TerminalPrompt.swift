import Engine
import Foundation
import Synchronization

/// Reads a line from the controlling terminal without echoing it (`--ask-vault-pass`).
public enum TerminalPrompt {
  public static func read(_ prompt: String) throws -> String {
    let tty = open("/dev/tty", O_RDWR)
    guard tty >= 0 else {
      throw DefinitionErrors([
        Diagnostic(at: nil, "--ask-vault-pass needs a terminal; use --vault-password-file")
      ])
    }
    defer { close(tty) }
    _ = prompt.withCString { write(tty, $0, strlen($0)) }
    var saved = termios()
    tcgetattr(tty, &saved)
    var quiet = saved
    quiet.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(tty, TCSAFLUSH, &quiet)
    defer {
      tcsetattr(tty, TCSAFLUSH, &saved)
      _ = write(tty, "\n", 1)
    }
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while Foundation.read(tty, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
