import Engine
import Foundation

/// Reads a file in one round trip and tells "absent" from "empty": the script prints a marker
/// line saying which, then the raw bytes.
struct FileReadScript {
  let path: HostPath
  let boundary = Boundary.make()

  /// `$1` marker, `$2` path. A dangling symlink counts as absent, as a local read does; a
  /// path that is not a regular file is refused before it is opened (`FileKind`).
  static let script =
    FileKind.shellFunction + """

      if [ -e "$2" ]; then
        if [ ! -f "$2" ]; then printf 'it is %s, not a regular file\\n' "$(k "$2")" >&2; exit 3; fi
        printf '%s present\\n' "$1"
        exec cat -- "$2"
      fi
      printf '%s absent\\n' "$1"
      """

  var arguments: [String] { ["sh", "-c", Self.script, "sh", boundary, path.rawValue] }

  func interpret(_ output: CommandOutput) throws -> Data? {
    guard output.succeeded else {
      throw ModuleError("cannot read \(path): \(output.stderr.trimmed)")
    }
    let data = output.standardOutput
    for (marker, present) in [("present", true), ("absent", false)] {
      let line = Data("\(boundary) \(marker)\n".utf8)
      if let range = data.range(of: line) {
        return present ? Data(data[range.upperBound...]) : nil
      }
    }
    throw ModuleError("cannot read \(path): unexpected reply from the host")
  }
}

extension String {
  /// Without leading and trailing whitespace and newlines.
  var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
