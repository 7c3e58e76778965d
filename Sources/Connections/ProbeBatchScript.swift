import Engine
import Foundation

/// Answers any number of probes (file reads and read-only commands) in one round trip. The
/// probes travel as positional parameters (`f PATH` or `c STDIN-BASE64 COUNT ARGV…`), never
/// as script text. Every answer is framed by marker lines that start with a random boundary,
/// and every payload is base64, which cannot contain a marker line: the framing is
/// unambiguous whatever the files or outputs hold.
struct ProbeBatchScript {
  let probes: [Probe]
  let boundary = Boundary.make()

  /// Markers: `B absent`, `B file` + base64, `B unreadable` + base64 of the error,
  /// `B exit N` + base64 stdout, `B stderr` + base64 stderr, and `B end` last.
  ///
  /// The commands run concurrently, up to `concurrency` at a time, each into its own files
  /// in a private temp directory; the answers are then printed in the order asked. An
  /// unchanged host is answered in the time of its slowest probe rather than in the sum of
  /// them all (podman and systemctl each cost tens of milliseconds to start).
  static let script = """
    b=$1 w=$2
    shift 2
    t=$(mktemp -d) || exit 4
    trap 'rm -rf -- "$t"' EXIT
    n=0 r=0
    while [ $# -gt 0 ]; do
      k=$1
      shift
      n=$((n + 1))
      if [ "$k" = f ]; then
        if [ ! -e "$1" ]; then
          : >"$t/$n.absent"
        elif ! base64 <"$1" >"$t/$n.o" 2>"$t/$n.e"; then
          : >"$t/$n.unreadable"
        fi
        shift
        continue
      fi
      i=$1 c=$2
      shift 2
      if [ "$r" -ge "$w" ]; then
        wait
        r=0
      fi
      : >"$t/$n.c"
      (
        j=0
        for a do
          shift
          if [ "$j" -lt "$c" ]; then set -- "$@" "$a"; fi
          j=$((j + 1))
        done
        if [ -n "$i" ]; then
          printf '%s' "$i" | base64 -d | "$@"
        else
          "$@" </dev/null
        fi
        echo "$?" >"$t/$n.s"
      ) >"$t/$n.o" 2>"$t/$n.e" &
      r=$((r + 1))
      shift "$c"
    done
    wait
    m=0
    while [ "$m" -lt "$n" ]; do
      m=$((m + 1))
      if [ -e "$t/$m.absent" ]; then
        printf '%s absent\\n' "$b"
      elif [ -e "$t/$m.unreadable" ]; then
        printf '%s unreadable\\n' "$b"; base64 <"$t/$m.e"
      elif [ -e "$t/$m.c" ]; then
        s=125
        if [ -s "$t/$m.s" ]; then read -r s <"$t/$m.s"; fi
        printf '%s exit %d\\n' "$b" "$s"; base64 <"$t/$m.o"
        printf '%s stderr\\n' "$b"; base64 <"$t/$m.e"
      else
        printf '%s file\\n' "$b"; cat "$t/$m.o"
      fi
    done
    printf '%s end\\n' "$b"
    """

  /// How many commands of a batch run at once: enough for a role's probes to overlap,
  /// few enough that a batch of hundreds does not flood a small host with processes.
  static let concurrency = 16

  var arguments: [String] {
    var arguments = ["sh", "-c", Self.script, "sh", boundary, String(Self.concurrency)]
    for probe in probes {
      switch probe {
      case .file(let path):
        arguments += ["f", path.rawValue]
      case .command(let command):
        let argv = HostInvocation.arguments(for: command)
        let input = command.input?.base64EncodedString() ?? ""
        arguments += ["c", input, String(argv.count)] + argv
      }
    }
    return arguments
  }

  func interpret(_ output: CommandOutput) throws -> [ProbeAnswer] {
    guard output.succeeded else {
      throw ModuleError("cannot read the host's state: \(output.stderr.trimmed)")
    }
    var sections = ProbeBatchScript.sections(of: output.stdout, boundary: boundary)
    guard sections.last?.marker == "end" else { throw malformed() }
    sections.removeLast()
    var answers: [ProbeAnswer] = []
    var index = 0
    for probe in probes {
      guard index < sections.count else { throw malformed() }
      let section = sections[index]
      index += 1
      switch (probe, section.marker) {
      case (.file, "absent"):
        answers.append(.file(nil))
      case (.file, "file"):
        answers.append(.file(try decode(section.body)))
      case (.file(let path), "unreadable"):
        let reason = String(decoding: try decode(section.body), as: UTF8.self).trimmed
        throw ModuleError("cannot read \(path): \(reason)")
      case (.command, let marker) where marker.hasPrefix("exit "):
        guard let status = Int32(marker.dropFirst(5)), index < sections.count,
          sections[index].marker == "stderr"
        else { throw malformed() }
        let standardError = try decode(sections[index].body)
        index += 1
        answers.append(
          .command(
            CommandOutput(
              exitCode: status, standardOutput: try decode(section.body),
              standardError: standardError)))
      default:
        throw malformed()
      }
    }
    guard index == sections.count else { throw malformed() }
    return answers
  }

  /// The output cut at marker lines; text before the first marker (a chatty login shell) is
  /// dropped.
  static func sections(of text: String, boundary: String) -> [(marker: String, body: String)] {
    var sections: [(marker: String, body: String)] = []
    let prefix = boundary + " "
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix(prefix) {
        sections.append((String(line.dropFirst(prefix.count)), ""))
      } else if !sections.isEmpty {
        sections[sections.count - 1].body += line
      }
    }
    return sections
  }

  private func decode(_ base64: String) throws -> Data {
    guard let data = Data(base64Encoded: base64) else { throw malformed() }
    return data
  }

  private func malformed() -> ModuleError {
    ModuleError(
      "cannot read the host's state: malformed reply to a batch of \(probes.count) probes")
  }
}
