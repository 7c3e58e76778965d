import Engine
import Foundation

/// Answers any number of probes (file reads and read-only commands) in one round trip. The
/// probes travel as positional parameters (`f PATH` or `c STDIN-BASE64 COUNT ARGV…`), never
/// as script text, and the paths of the files to read once more at the end, after `--`.
/// Every answer is a marker line that starts with a random boundary; the sizes of all the
/// payloads follow, then the payloads themselves, raw: the framing is by size, so it is
/// unambiguous whatever the files or outputs hold.
struct ProbeBatchScript {
  let probes: [Probe]
  let boundary = Boundary.make()

  /// One marker line per probe, in the order asked: `B absent`, `B file`, `B unreadable WHY`,
  /// `B exit STATUS`; then `B sizes`, one line per payload (every file read, in order, then
  /// each command's standard output and error, in order); `B data`, the payloads
  /// concatenated; and `B end` on a line of its own.
  ///
  /// Secrets pass through the commands' staged outputs, so nothing may outlive the batch:
  /// they live in a directory of the batch's own (`runner-probes.UID/PID`, owner-only, under
  /// `$TMPDIR` or `/tmp`), removed on exit and on a catchable signal; one that dies of
  /// `kill -9` or a lost connection leaves its directory behind, and the next batch of any run
  /// removes every directory whose process is gone. The user id is read from `/proc`: no
  /// process for it. Files are not staged: they are read where they are.
  ///
  /// Why this shape: processes are what a batch costs on the host. The commands run
  /// concurrently, up to `concurrency` at a time, each exec'd straight from its subshell with
  /// its output in files of the private directory; the files to read are sorted with the
  /// shell's own tests; one `stat` gives every payload's size and one `cat` sends them all.
  /// A file that changes between the two no longer matches its size, and the reply, whose
  /// end marker is then not where the sizes put it, is refused rather than misread.
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
      while [ "$1" != -- ]; do
        k=$1
        shift
        n=$((n + 1))
        if [ "$k" = f ]; then
          if [ ! -e "$1" ]; then
            : >"$t/$n.absent"
          elif [ ! -f "$1" ]; then
            printf 'it is %s, not a regular file\n' "$(k "$1")" >"$t/$n.unreadable"
          elif [ ! -r "$1" ]; then
            echo 'Permission denied' >"$t/$n.unreadable"
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
      shift
      flush
      m=0
      for a do
        shift
        m=$((m + 1))
        while [ -e "$t/$m.s" ]; do m=$((m + 1)); done
        if [ ! -e "$t/$m.absent" ] && [ ! -e "$t/$m.unreadable" ]; then set -- "$@" "$a"; fi
      done
      m=0
      while [ "$m" -lt "$n" ]; do
        m=$((m + 1))
        if [ -e "$t/$m.absent" ]; then
          printf '%s absent\n' "$b"
        elif [ -e "$t/$m.unreadable" ]; then
          read -r e <"$t/$m.unreadable"
          printf '%s unreadable %s\n' "$b" "$e"
        elif [ -e "$t/$m.s" ]; then
          read -r s <"$t/$m.s"
          printf '%s exit %s\n' "$b" "$s"
          set -- "$@" "$t/$m.o" "$t/$m.e"
        else
          printf '%s file\n' "$b"
        fi
      done
      printf '%s sizes\n' "$b"
      if [ $# -gt 0 ]; then stat -L -c %s -- "$@" || exit 4; fi
      printf '%s data\n' "$b"
      if [ $# -gt 0 ]; then cat -- "$@" || exit 4; fi
      printf '\n%s end\n' "$b"
      """

  /// How many commands of a batch run at once: enough for a role's probes to overlap,
  /// few enough that a batch of hundreds does not flood a small host with processes.
  static let concurrency = 32

  var arguments: [String] { ["sh", "-c", Self.script, "sh"] + parameters }

  /// The script's positional parameters: the boundary, the concurrency, the probes, and
  /// after `--` the files to read.
  var parameters: [String] {
    var arguments = [boundary, String(Self.concurrency)]
    var files: [String] = []
    for probe in probes {
      if case .file(let path) = probe {
        arguments += ["f", path.rawValue]
        files.append(path.rawValue)
      } else if let command = probe.command {
        let argv = HostInvocation.arguments(for: command)
        let input = command.input?.base64EncodedString() ?? ""
        arguments += ["c", input, String(argv.count)] + argv
      }
    }
    return arguments + ["--"] + files
  }

  func interpret(_ output: CommandOutput) throws -> [ProbeAnswer] {
    guard output.succeeded else {
      throw ModuleError("cannot read the host's state: \(output.stderr.trimmed)")
    }
    let reply = output.standardOutput
    guard let data = reply.range(of: Data("\(boundary) data\n".utf8)) else { throw malformed() }
    let header = String(decoding: reply[..<data.lowerBound], as: UTF8.self)
    let markers = ProbeBatchScript.markers(in: header, boundary: boundary)
    guard markers.count == probes.count + 1, markers.last?.marker == "sizes" else {
      throw malformed()
    }
    let sizes = try markers[probes.count].body.map { line in
      guard let size = Int(line), size >= 0 else { throw malformed() }
      return size
    }
    let total = sizes.reduce(0, +)
    let end = Data("\n\(boundary) end\n".utf8)
    guard reply.endIndex - data.upperBound == total + end.count,
      reply[(data.upperBound + total)...].elementsEqual(end)
    else { throw malformed() }
    var payloads = PayloadReader(
      data: reply[data.upperBound..<data.upperBound + total], sizes: sizes)
    // Files come first in the payloads, in the order asked; then the commands' outputs.
    let fileCount = zip(probes, markers).filter {
      if case .file = $0.0 { $0.1.marker == "file" } else { false }
    }.count
    var fileContents = (0..<fileCount).map { _ in payloads.next() }.makeIterator()
    var answers: [ProbeAnswer] = []
    for (probe, section) in zip(probes, markers) {
      let fields = section.marker.split(separator: " ", maxSplits: 1).map(String.init)
      switch (probe, fields.first, fields.count) {
      case (.file, "absent", 1):
        answers.append(.file(nil))
      case (.file, "file", 1):
        guard let contents = fileContents.next() ?? nil else { throw malformed() }
        answers.append(.file(contents))
      case (.file(let path), "unreadable", 2):
        throw ModuleError("cannot read \(path): \(fields[1])")
      case (.command, "exit", 2), (.fact, "exit", 2):
        guard let status = Int32(fields[1]), let standardOutput = payloads.next(),
          let standardError = payloads.next()
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

  /// Cuts the concatenated payloads into the sizes given, in order.
  private struct PayloadReader {
    let data: Data
    let sizes: [Int]
    var index = 0
    var offset = 0

    init(data: Data, sizes: [Int]) {
      self.data = data
      self.sizes = sizes
    }

    /// The next payload; nil past the last one.
    mutating func next() -> Data? {
      guard index < sizes.count else { return nil }
      let start = data.startIndex + offset
      offset += sizes[index]
      index += 1
      return data.subdata(in: start..<start + sizes[index - 1])
    }

    var isAtEnd: Bool { index == sizes.count }
  }

  /// The marker lines and the plain lines after each; text before the first marker (a chatty
  /// login shell) is dropped.
  static func markers(in text: String, boundary: String) -> [(marker: String, body: [String])] {
    var markers: [(marker: String, body: [String])] = []
    let prefix = boundary + " "
    for line in text.split(separator: "\n") {
      if line.hasPrefix(prefix) {
        markers.append((String(line.dropFirst(prefix.count)), []))
      } else if !markers.isEmpty {
        markers[markers.count - 1].body.append(String(line))
      }
    }
    return markers
  }

  private func malformed() -> ModuleError {
    ModuleError(
      "cannot read the host's state: malformed reply to a batch of \(probes.count) probes")
  }
}
