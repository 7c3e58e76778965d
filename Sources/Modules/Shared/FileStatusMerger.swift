public import Engine

extension FileStatus: MergeableFact {
  public var merger: FileStatusMerger { FileStatusMerger() }
}

/// Every `FileStatus` of a batch as one `stat`: a short script sorts the paths with the
/// shell's own tests (no process), then `stat -L` describes every path that exists at once.
/// Following links changes nothing for a path that is not a link, so one call serves both
/// kinds; a link asked about itself is described alone (rare), and so is nothing else.
///
/// One line per path comes first, in order: `e` (its line follows in the `stat -L` output),
/// `n FIELDS` (a link, described apart), `x` (absent: the deepest part of its path that exists
/// is a searchable directory, or a file, which is what `stat` reports as absent too) or `u`
/// (cannot tell without `stat` itself, e.g. behind a directory it may not search: read alone).
public struct FileStatusMerger: FactMerger {
  public init() {}

  static let script = """
    f=$1
    shift
    k=
    for a do
      shift
      if [ -z "$k" ]; then k=$a; continue; fi
      p=$a
      if [ "$k" = P ] && [ -L "$p" ]; then
        if s=$(stat -c "$f" -- "$p"); then echo "n $s"; else echo u; fi
      elif [ -e "$p" ]; then
        echo e
        set -- "$@" "$p"
      elif [ -L "$p" ]; then
        echo x
      else
        d=$p r=u
        while [ "${d%/*}" != "$d" ]; do
          d=${d%/*}
          if [ -z "$d" ]; then d=/; fi
          if [ -d "$d" ]; then
            if [ -x "$d" ]; then r=x; fi
            break
          fi
          if [ -e "$d" ] || [ "$d" = / ]; then r=x; break; fi
        done
        echo "$r"
      fi
      k=
    done
    if [ $# -gt 0 ]; then exec stat -L -c "$f" -- "$@"; fi
    """

  public func command(answering facts: [any MergeableFact]) -> Command {
    var arguments = ["sh", "-c", Self.script, "sh", FileStatus.format]
    for case let status as FileStatus in facts {
      arguments += [status.followsLinks ? "L" : "P", status.path.rawValue]
    }
    return Command(arguments, environment: ["LC_ALL": "C"])
  }

  public func split(_ output: CommandOutput, answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map(String.init)
    guard output.succeeded, lines.count >= facts.count else { return [] }
    var described = lines.dropFirst(facts.count).makeIterator()
    var outputs: [CommandOutput?] = []
    for (fact, line) in zip(facts, lines) {
      guard let status = fact as? FileStatus else { return [] }
      switch line.first {
      case "e":
        guard let fields = described.next() else { return [] }
        outputs.append(CommandOutput(exitCode: 0, stdout: fields + "\n"))
      case "n":
        outputs.append(CommandOutput(exitCode: 0, stdout: String(line.dropFirst(2)) + "\n"))
      case "x":
        outputs.append(
          CommandOutput(
            exitCode: 1, stdout: "",
            stderr: "stat: cannot statx '\(status.path)': No such file or directory\n"))
      default:
        outputs.append(nil)
      }
    }
    return described.next() == nil ? outputs : []
  }
}
