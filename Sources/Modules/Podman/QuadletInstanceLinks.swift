public import Engine

/// The instance links of a Quadlet template in a directory: `dci-api@3.container` pointing at
/// `dci-api@.container`, one `name<TAB>target` line each. The shell's own glob and tests find
/// them (`links`), so in a prefetch they cost no process of their own: they are read with
/// every `FileStatus` (`FileStatusMerger`). A link that is the template (`-ef`: the same file,
/// by whatever path) is reported as pointing at the template; only another target is read,
/// with a `stat` of its own. Names or targets with a line break are left out (never ours).
public struct QuadletInstanceLinks: MergeableFact {
  public var directory: HostPath
  /// `dci-api@.container`
  public var template: String

  public init(directory: HostPath, template: String) {
    self.directory = directory
    self.template = template
  }

  var prefix: String { String(template.prefix { $0 != "@" }) + "@" }
  var suffix: String { String(template.drop { $0 != "@" }.dropFirst()) }

  /// `g DIR PREFIX SUFFIX TEMPLATE` prints the links. A missing directory has none.
  static let shellFunction = """
    g() {
      for x in "$1/$2"*"$3"; do
        if [ ! -L "$x" ]; then continue; fi
        n=${x##*/}
        if [ "$x" -ef "$1/$4" ]; then
          t=$4
        elif t=$(QUOTING_STYLE=literal stat -c %N -- "$x"); then
          t=${t#"$x -> "}
        else
          continue
        fi
        case $n$t in *'
    '*) continue ;; esac
        printf '%s\t%s\n' "$n" "$t"
      done
    }
    """

  /// The arguments of `g` for this template.
  var globArguments: [String] { [directory.rawValue, prefix, suffix, template] }

  public var command: Command {
    Command(
      ["sh", "-c", Self.shellFunction + "\ng \"$@\"", "sh"] + globArguments,
      environment: ["LC_ALL": "C"])
  }

  public var merger: FileStatusMerger { FileStatusMerger() }

  /// Instance name → link target.
  public func parse(_ output: CommandOutput) throws -> [String: String] {
    guard output.succeeded else { throw CommandFailed(command, output: output) }
    var links: [String: String] = [:]
    for line in output.stdout.split(separator: "\n") {
      let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
      guard fields.count == 2, fields[0].hasPrefix(prefix), fields[0].hasSuffix(suffix) else {
        continue
      }
      let instance = fields[0].dropFirst(prefix.count).dropLast(suffix.count)
      if !instance.isEmpty { links[String(instance)] = fields[1] }
    }
    return links
  }
}
