public import Engine

extension FileStatus: MergeableFact {
  public var merger: FileStatusMerger { FileStatusMerger() }
}

/// Every `FileStatus` of a prefetch as one `stat`: a short script sorts the paths with the
/// shell's own tests (no process), then `stat -L` describes every path that exists at once.
/// The Quadlet instance links of a template (`QuadletInstanceLinks`), found by the shell's
/// glob, come in the same command: they cost no process.
/// Following links changes nothing for a path that is not a link, so one call serves both
/// kinds; a link asked about itself is described alone (rare), and so is nothing else.
///
/// One line per path comes first, in order: `e` (its line follows in the `stat -L` output),
/// `n FIELDS` (a link, described apart), `x` (absent: the deepest part of its path that exists
/// is a searchable directory, or a file, which is what `stat` reports as absent too) or `u`
/// (cannot tell without `stat` itself, e.g. behind a directory it may not search: read alone);
/// for instance links `g`, their lines, and `.`.
public struct FileStatusMerger: FactMerger {
  public init() {}

  static let script =
    QuadletInstanceLinks.shellFunction + """

      f=$1
      shift
      k=
      for a do
        shift
        if [ -z "$k" ]; then k=$a m=0; continue; fi
        if [ "$k" = G ]; then
          m=$((m + 1))
          case $m in
            1) gd=$a ;;
            2) gp=$a ;;
            3) gs=$a ;;
            *)
              echo g
              g "$gd" "$gp" "$gs" "$a"
              echo .
              k=
              ;;
          esac
          continue
        fi
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
    for fact in facts {
      if let status = fact as? FileStatus {
        arguments += [status.followsLinks ? "L" : "P", status.path.rawValue]
      } else if let links = fact as? QuadletInstanceLinks {
        arguments += ["G"] + links.globArguments
      }
    }
    return Command(arguments, environment: ["LC_ALL": "C"])
  }

  public func split(_ output: CommandOutput, answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    guard output.succeeded else { return [] }
    var lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map(String.init).makeIterator()
    var answers: [Answer] = []
    for fact in facts {
      guard let line = lines.next() else { return [] }
      if fact is QuadletInstanceLinks {
        guard line == "g" else { return [] }
        var found: [String] = []
        while let link = lines.next(), link != "." { found.append(link) }
        answers.append(
          .output(CommandOutput(exitCode: 0, stdout: found.map { $0 + "\n" }.joined())))
        continue
      }
      guard let status = fact as? FileStatus else { return [] }
      switch line.first {
      case "e":
        answers.append(.described)
      case "n":
        answers.append(
          .output(CommandOutput(exitCode: 0, stdout: String(line.dropFirst(2)) + "\n")))
      case "x":
        answers.append(
          .output(
            CommandOutput(
              exitCode: 1, stdout: "",
              stderr: "stat: cannot statx '\(status.path)': No such file or directory\n")))
      default:
        answers.append(.unknown)
      }
    }
    var outputs: [CommandOutput?] = []
    for answer in answers {
      switch answer {
      case .described:
        guard let fields = lines.next() else { return [] }
        outputs.append(CommandOutput(exitCode: 0, stdout: fields + "\n"))
      case .output(let output): outputs.append(output)
      case .unknown: outputs.append(nil)
      }
    }
    return lines.next() == nil ? outputs : []
  }

  /// What a fact's line said: its description is among `stat`'s lines, its output is
  /// known, or it must be read alone.
  private enum Answer {
    case described
    case output(CommandOutput)
    case unknown
  }
}
