import Engine
import Foundation

/// Answers any number of probes (file reads and read-only commands) in one round trip. The
/// probes travel as positional parameters (`f PATH` or `c STDIN-BASE64 COUNT ARGV…`), never
/// as script text. Every answer is framed by marker lines that start with a random boundary,
/// with the sizes of its payloads; the payloads follow as one base64 stream, which cannot
/// contain a marker line: the framing is unambiguous whatever the files or outputs hold.
struct ProbeBatchScript {
  let probes: [Probe]
  let boundary = Boundary.make()

  /// One marker line per probe, in the order asked: `B absent`, `B file SIZE`,
  /// `B unreadable SIZE` (the payload is the error), `B exit STATUS OUT-SIZE ERR-SIZE`; then
  /// `B data` and every payload, concatenated in that order, as one base64 stream; `B end`.
  ///
  /// Secrets pass through the staged copies, so nothing may outlive the batch: they live in
  /// a directory of the batch's own (`runner-probes.UID/PID`, owner-only, under `$TMPDIR` or
  /// `/tmp`), removed on exit and on a catchable signal; one that dies of `kill -9` or a lost
  /// connection leaves its directory behind, and the next batch of any run removes every
  /// directory whose process is gone. The user id is read from `/proc`: no process for it.
  ///
  /// Why this shape: processes are what a batch costs on the host. The commands run
  /// concurrently, up to `concurrency` at a time, each exec'd straight from its subshell with
  /// its output in files of a private temp directory; the files are copied there too, so the
  /// sizes (one `stat` for all) match the bytes sent (one `cat | base64` for all). An
  /// unchanged host is answered in about the time of its slowest probe, with a handful of
  /// processes besides the probes themselves, instead of the sum of all probes and two
  /// `base64` runs for each.
  static let script =
    FileKind.shellFunction + """

      b=$1 w=$2
      shift 2
      while read -r k _ u _; do
        if [ "$k" = Uid: ]; then break; fi
      done </proc/$$/status
      p=${TMPDIR:-/tmp}/runner-probes.$u
      t=$p/$$
      mkdir -p -m 700 -- "$t" || exit 4
      if [ -L "$p" ] || [ ! -O "$p" ] || [ -L "$t" ] || [ ! -O "$t" ]; then
        echo "$p is not this user's own directory" >&2
        exit 4
      fi
      trap 'rm -rf -- "$t"' EXIT
      trap 'exit 4' HUP INT TERM PIPE
      for x in "$p"/*; do
        if [ -d "$x" ] && ! kill -0 "${x##*/}" 2>/dev/null; then rm -rf -- "$x"; fi
      done
      n=0 r=0 q=
      flush() {
        for x in $q; do
          wait "${x#*:}"
          echo "$?" >"$t/${x%:*}.s"
        done
        q= r=0
      }
      while [ $# -gt 0 ]; do
        k=$1
        shift
        n=$((n + 1))
        if [ "$k" = f ]; then
          if [ ! -e "$1" ]; then
            : >"$t/$n.absent"
          elif [ ! -f "$1" ]; then
            printf 'it is %s, not a regular file\\n' "$(k "$1")" >"$t/$n.e"
            : >"$t/$n.unreadable"
          elif ! cat -- "$1" >"$t/$n.o" 2>"$t/$n.e"; then
            : >"$t/$n.unreadable"
          fi
          shift
          continue
        fi
        i=$1 c=$2
        shift 2
        if [ "$r" -ge "$w" ]; then flush; fi
        (
          j=0
          for a do
            shift
            if [ "$j" -lt "$c" ]; then set -- "$@" "$a"; fi
            j=$((j + 1))
          done
          if [ -n "$i" ]; then
            printf '%s' "$i" | base64 -d | exec "$@"
          else
            exec "$@" </dev/null
          fi
        ) >"$t/$n.o" 2>"$t/$n.e" &
        q="$q $n:$!" r=$((r + 1))
        shift "$c"
      done
      flush
      m=0
      while [ "$m" -lt "$n" ]; do
        m=$((m + 1))
        if [ -e "$t/$m.absent" ]; then continue; fi
        if [ -e "$t/$m.unreadable" ]; then set -- "$@" "$t/$m.e"; continue; fi
        set -- "$@" "$t/$m.o"
        if [ -e "$t/$m.s" ]; then set -- "$@" "$t/$m.e"; fi
      done
      if [ $# -gt 0 ]; then stat -c %s -- "$@" >"$t/sizes" || exit 4; else : >"$t/sizes"; fi
      exec 3<"$t/sizes"
      m=0
      while [ "$m" -lt "$n" ]; do
        m=$((m + 1))
        if [ -e "$t/$m.absent" ]; then
          printf '%s absent\n' "$b"
        elif [ -e "$t/$m.unreadable" ]; then
          read -r e <&3
          printf '%s unreadable %s\n' "$b" "$e"
        elif [ -e "$t/$m.s" ]; then
          read -r s <"$t/$m.s"
          read -r o <&3
          read -r e <&3
          printf '%s exit %s %s %s\n' "$b" "$s" "$o" "$e"
        else
          read -r o <&3
          printf '%s file %s\n' "$b" "$o"
        fi
      done
      printf '%s data\n' "$b"
      if [ $# -gt 0 ]; then cat -- "$@" | base64; fi
      printf '%s end\n' "$b"
      """

  /// How many commands of a batch run at once: enough for a role's probes to overlap,
  /// few enough that a batch of hundreds does not flood a small host with processes.
  static let concurrency = 32

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
    let data = sections.last?.marker == "data" ? try decode(sections.removeLast().body) : Data()
    guard sections.count == probes.count else { throw malformed() }
    var payloads = PayloadReader(data: data)
    var answers: [ProbeAnswer] = []
    for (probe, section) in zip(probes, sections) {
      let fields = section.marker.split(separator: " ").map(String.init)
      switch (probe, fields.first, fields.count) {
      case (.file, "absent", 1):
        answers.append(.file(nil))
      case (.file, "file", 2):
        guard let contents = payloads.next(fields[1]) else { throw malformed() }
        answers.append(.file(contents))
      case (.file(let path), "unreadable", 2):
        guard let error = payloads.next(fields[1]) else { throw malformed() }
        throw ModuleError("cannot read \(path): \(String(decoding: error, as: UTF8.self).trimmed)")
      case (.command, "exit", 4):
        guard let status = Int32(fields[1]), let standardOutput = payloads.next(fields[2]),
          let standardError = payloads.next(fields[3])
        else { throw malformed() }
        answers.append(
          .command(
            CommandOutput(
              exitCode: status, standardOutput: standardOutput, standardError: standardError)))
      default:
        throw malformed()
      }
    }
    guard payloads.isAtEnd else { throw malformed() }
    return answers
  }

  /// Cuts the concatenated payloads into the sizes the markers give, in order.
  private struct PayloadReader {
    let data: Data
    var offset = 0

    /// The next `size` bytes; nil when `size` is not a number or runs past the end.
    mutating func next(_ size: String) -> Data? {
      guard let count = Int(size), count >= 0, count <= data.count - offset else { return nil }
      let start = data.startIndex + offset
      offset += count
      return data.subdata(in: start..<start + count)
    }

    var isAtEnd: Bool { offset == data.count }
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
