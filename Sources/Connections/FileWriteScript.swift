import Engine
import Foundation

/// Writes a file atomically in one round trip, content on stdin. A fixed script gets the path,
/// mode, owner, group, size and the validate argv as positional parameters: it makes a temp
/// file beside the destination (`mktemp`), sets owner and mode before any byte is written (a
/// secret is never readable by others), writes, checks that every byte arrived, syncs, runs
/// the validator on the temp file (`%s` is its path), and renames it over the destination.
/// Any failure removes the temp file and leaves the destination untouched.
///
/// The size check matters because `cat` cannot tell a finished upload from a dead sender:
/// when the runner is killed or the ssh connection drops mid-write, `cat` sees an ordinary
/// end of input and succeeds, and without the check a truncated file would replace the old one.
struct FileWriteScript {
  let file: FileWrite

  /// Exit statuses the script uses to say what went wrong (stderr has the details).
  enum Status: Int32 {
    case missingDirectory = 3
    case temporaryFile = 4
    case attributes = 5
    case validation = 6
    case rename = 7
    case truncated = 8
    case backup = 9
  }

  /// `$1` path, `$2` mode (octal, or empty: keep the old file's, else `0666 & ~umask`),
  /// `$3` owner, `$4` group (empty: keep the old file's when allowed), `$5` the number of
  /// bytes stdin must deliver, `$6` the backup's path (empty: none), then the validate argv.
  /// A failed validation prints an empty line and the validator's status after its output.
  static let script = """
    p=$1 m=$2 o=$3 g=$4 n=$5 b=$6
    shift 6
    case $p in */*) d=${p%/*} ;; *) d=. ;; esac
    [ -n "$d" ] || d=/
    if [ ! -d "$d" ]; then
      printf 'Destination directory %s does not exist\\n' "$d" >&2; exit 3
    fi
    t=$(mktemp "$d/.runner.XXXXXXXXXX") || exit 4
    trap 'rm -f -- "$t"' EXIT
    if [ -e "$p" ]; then
      chown "$(stat -L -c %u:%g -- "$p")" "$t" 2>/dev/null || :
      if [ -z "$m" ]; then m=$(stat -L -c %a -- "$p") || exit 5; fi
    fi
    if [ -z "$m" ]; then m=$(printf '%o' $((0666 & ~0$(umask)))); fi
    if [ -n "$o" ]; then chown -- "$o" "$t" || exit 5; fi
    if [ -n "$g" ]; then chgrp -- "$g" "$t" || exit 5; fi
    chmod -- "$m" "$t" || exit 5
    cat >"$t" || exit 5
    w=$(wc -c <"$t") || exit 5
    if [ "$w" -ne "$n" ]; then
      printf 'received %s of %s bytes; the sender stopped early\\n' $w "$n" >&2; exit 8
    fi
    sync -- "$t" 2>/dev/null || :
    if [ $# -gt 0 ]; then
      for a do
        shift; r= s=$a
        while :; do
          case $s in
            *%s*) r=$r${s%%\\%s*}$t; s=${s#*\\%s} ;;
            *) r=$r$s; break ;;
          esac
        done
        set -- "$@" "$r"
      done
      "$@" </dev/null
      v=$?
      if [ "$v" -ne 0 ]; then printf '\\n%d\\n' "$v"; exit 6; fi
    fi
    if [ -n "$b" ] && [ -e "$p" ]; then cp -p --backup=numbered -- "$p" "$b" || exit 9; fi
    mv -f -- "$t" "$p" || exit 7
    trap - EXIT
    """

  var arguments: [String] {
    [
      "sh", "-c", Self.script, "sh", file.path.rawValue, file.mode?.description ?? "",
      file.owner ?? "", file.group ?? "", String(file.contents.count),
      file.backup?.rawValue ?? "",
    ] + (file.validate?.arguments ?? [])
  }

  func interpret(_ output: CommandOutput) throws {
    switch output.exitCode {
    case 0:
      return
    case Status.missingDirectory.rawValue:
      throw ModuleError("Destination directory \(file.path.parent) does not exist")
    case Status.validation.rawValue:
      throw validationFailure(output)
    case Status.truncated.rawValue:
      throw ModuleError(
        "failed to write \(file.path): the content arrived incomplete (\(output.stderr.trimmed)); "
          + "the file was left as it was")
    default:
      throw ModuleError("failed to write \(file.path): \(output.stderr.trimmed)")
    }
  }

  /// Splits the validator's own output from the status line the script appended.
  private func validationFailure(_ output: CommandOutput) -> ValidationFailed {
    var text = output.stdout
    if text.hasSuffix("\n") { text.removeLast() }
    var status: Int32 = 1
    if let newline = text.lastIndex(of: "\n") {
      status = Int32(text[text.index(after: newline)...]) ?? 1
      text = String(text[..<newline])
    }
    let validator = CommandOutput(exitCode: status, stdout: text, stderr: output.stderr)
    return ValidationFailed(
      command: file.validate ?? Command([]), output: validator, path: file.path)
  }
}
