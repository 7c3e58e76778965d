import Engine
import Foundation

/// Answers any number of probes (file reads and read-only commands) in one round trip. The
/// probes travel as positional parameters (the commands as `STDIN-BASE64 COUNT ARGV…`, then
/// `--` and the paths of the files to read), never as script text. Every marker line starts
/// with a random boundary, which neither the commands nor the files can know.
struct PrefetchScript {
  let probes: [HostRead]
  let boundary = Boundary.make()

  /// The commands first, one after the other, each in a section of its own:
  /// `B out`, its standard output as it printed it, `\nB exit STATUS`, its standard error,
  /// `\nB err`. Then one marker per file, in the order asked: `B absent`, `B file` or
  /// `B unreadable WHY`; `B sizes`, one line per file read; `B data`, the files concatenated;
  /// and `B end` on a line of its own.
  ///
  /// Why this shape: processes are what a batch costs on the host, and here a command costs
  /// one: it is exec'd straight from the command substitution that keeps its standard error
  /// (as text: trailing newlines are cut to one), while its standard output goes straight to
  /// the reply. Nothing is staged, so no directory is made or removed and no secret a command
  /// prints is ever written to the host's disk. The files to read are sorted with the shell's
  /// own tests; one `stat` gives their sizes and one `cat` sends them all. A file that changes
  /// between the two no longer matches its size, and the reply, whose end marker is then not
  /// where the sizes put it, is refused rather than misread.
  ///
  /// It is the body of a function, `batch`, so that the shell holding the host's run lock
  /// runs it without a subshell (`HeldBatches`): it returns, never exits, and checks its
  /// parameters rather than let a failed `shift` end that shell.
  static let function =
    "batch() {\n" + FileKind.shellFunction + """

        b=$1
        shift || return 4
        while [ "$1" != -- ]; do
          if [ $# -lt 3 ]; then return 4; fi
          i=$1 c=$2
          shift 2
          if [ $# -lt "$c" ]; then return 4; fi
          printf '%s out\n' "$b"
          {
            e=$(
              j=0
              for a do
                shift
                if [ "$j" -lt "$c" ]; then set -- "$@" "$a"; fi
                j=$((j + 1))
              done
              if [ -n "$i" ]; then
                printf '%s' "$i" | base64 -d | exec "$@" 2>&1 >&3 9<&-
              else
                exec "$@" 2>&1 >&3 </dev/null 9<&-
              fi
            )
          } 3>&1
          printf '\n%s exit %s\n%s\n%s err\n' "$b" "$?" "$e" "$b"
          shift "$c"
        done
        shift
        for a do
          shift
          if [ ! -e "$a" ]; then
            printf '%s absent\n' "$b"
          elif [ ! -f "$a" ]; then
            printf '%s unreadable it is %s, not a regular file\n' "$b" "$(k "$a")"
          elif [ ! -r "$a" ]; then
            printf '%s unreadable Permission denied\n' "$b"
          else
            printf '%s file\n' "$b"
            set -- "$@" "$a"
          fi
        done
        printf '%s sizes\n' "$b"
        if [ $# -gt 0 ]; then stat -L -c %s -- "$@" || return 4; fi
        printf '%s data\n' "$b"
        if [ $# -gt 0 ]; then cat -- "$@" || return 4; fi
        printf '\n%s end\n' "$b"
      }
      """

  static let script = function + "\nbatch \"$@\"\n"

  var arguments: [String] { ["sh", "-c", Self.script, "sh"] + parameters }

  /// The script's positional parameters: the boundary, the commands, and after `--` the
  /// files to read.
  var parameters: [String] {
    var arguments = [boundary]
    var files: [String] = []
    for probe in probes {
      if case .file(let path) = probe {
        files.append(path.rawValue)
      } else if let command = probe.command {
        let argv = HostInvocation.arguments(for: command)
        let input = command.input?.base64EncodedString() ?? ""
        arguments += [input, String(argv.count)] + argv
      }
    }
    return arguments + ["--"] + files
  }

  func interpret(_ output: CommandOutput) throws -> [ReadAnswer] {
    guard output.succeeded else {
      throw ModuleError("cannot read the host's state: \(output.stderr.trimmed)")
    }
    let reply = output.standardOutput
    guard let data = reply.range(of: Data("\(boundary) data\n".utf8)) else { throw malformed() }
    var commands = CommandSections(reply: reply[..<data.lowerBound], boundary: boundary)
    var outputs: [CommandOutput] = []
    for probe in probes where probe.command != nil {
      guard let output = commands.next() else { throw malformed() }
      outputs.append(output)
    }
    let fileProbes = probes.filter { if case .file = $0 { true } else { false } }
    let header = String(decoding: reply[commands.offset..<data.lowerBound], as: UTF8.self)
    let markers = PrefetchScript.markers(in: header, boundary: boundary)
    guard markers.count == fileProbes.count + 1, markers.last?.marker == "sizes" else {
      throw malformed()
    }
    let sizes = try markers[fileProbes.count].body.map { line in
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
    var files: [ReadAnswer] = []
    for (probe, section) in zip(fileProbes, markers) {
      let fields = section.marker.split(separator: " ", maxSplits: 1).map(String.init)
      switch (probe, fields.first, fields.count) {
      case (.file, "absent", 1):
        files.append(.file(nil))
      case (.file, "file", 1):
        guard let contents = payloads.next() else { throw malformed() }
        files.append(.file(contents))
      case (.file(let path), "unreadable", 2):
        throw ModuleError("cannot read \(path): \(fields[1])")
      default:
        throw malformed()
      }
    }
    guard payloads.isAtEnd else { throw malformed() }
    var fileAnswers = files.makeIterator()
    var commandAnswers = outputs.makeIterator()
    return try probes.map { probe in
      let answer: ReadAnswer? =
        if case .file = probe { fileAnswers.next() } else {
          commandAnswers.next().map { .command($0) }
        }
      guard let answer else { throw malformed() }
      return answer
    }
  }

  /// The commands' sections at the start of a reply, in order: `B out`, the standard output,
  /// `\nB exit STATUS\n`, the standard error, `\nB err\n`. Text before the first (a chatty
  /// login shell) is skipped. Neither output can hold the boundary, so the first marker found
  /// is the one the script printed.
  private struct CommandSections {
    let reply: Data
    let boundary: String
    /// Where the next section, or what follows the last, starts.
    private(set) var offset: Data.Index

    init(reply: Data, boundary: String) {
      self.reply = reply
      self.boundary = boundary
      offset = reply.startIndex
    }

    mutating func next() -> CommandOutput? {
      guard let out = find("\(boundary) out\n", from: offset),
        let exit = find("\n\(boundary) exit ", from: out.upperBound),
        let statusEnd = reply[exit.upperBound...].firstIndex(of: UInt8(ascii: "\n")),
        let status = Int32(String(decoding: reply[exit.upperBound..<statusEnd], as: UTF8.self)),
        let err = find("\n\(boundary) err\n", from: statusEnd + 1)
      else { return nil }
      // The substitution that kept the standard error cut its trailing newlines: give one back.
      var standardError = Data(reply[(statusEnd + 1)..<err.lowerBound])
      if !standardError.isEmpty { standardError.append(UInt8(ascii: "\n")) }
      offset = err.upperBound
      return CommandOutput(
        exitCode: status, standardOutput: Data(reply[out.upperBound..<exit.lowerBound]),
        standardError: standardError)
    }

    private func find(_ text: String, from start: Data.Index) -> Range<Data.Index>? {
      reply.range(of: Data(text.utf8), in: start..<reply.endIndex)
    }
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
