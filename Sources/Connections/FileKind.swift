#if canImport(Glibc)
  public import Glibc
#elseif canImport(Darwin)
  public import Darwin
#endif

/// What a path that is not a regular file is, for the message that refuses to read it: a
/// FIFO would block the read forever (waiting for a writer), a device would never end, a
/// directory cannot be read as one.
public enum FileKind {
  /// A shell function `k PATH` printing the kind, for the scripts that read files on a host.
  static let shellFunction = """
    k() {
      if [ -d "$1" ]; then echo a directory
      elif [ -p "$1" ]; then echo 'a FIFO (named pipe)'
      elif [ -b "$1" ] || [ -c "$1" ]; then echo a device
      elif [ -S "$1" ]; then echo a socket
      else echo 'not a regular file'; fi
    }
    """

  /// The kind of a `st_mode` that is not a regular file; nil for a regular file.
  public static func describe(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: nil
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR, S_IFBLK: "a device"
    case S_IFSOCK: "a socket"
    default: "not a regular file"
    }
  }

  public static func refusal(_ kind: String) -> String { "it is \(kind), not a regular file" }
}
