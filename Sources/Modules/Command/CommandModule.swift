public import Engine
import Foundation

/// Ansible's `command`: runs a program, never through a shell. `cmd` is split into words as a
/// shell would (`'…'`, `"…"` and `\` quote; see `ShellWords`) but nothing is expanded: no
/// `$VAR`, no globs, no pipes. `argv` gives the words themselves.
/// `creates`/`removes` make it idempotent: it is skipped when `creates` exists or `removes`
/// does not (literal paths, no globs). Without them it cannot be predicted, so `--check`
/// skips it ("Command would have run if not in check mode").
public struct CommandModule: PlaybookModule, PrefetchingModule, ResultBuildingModule,
  ValidatingModule,
  FreeFormModule
{
  public static let name: ModuleName = "command"
  public static let freeFormKey = "cmd"
  public static let freeFormOptions: Set<String> = [
    "creates", "removes", "chdir", "stdin", "stdin_add_newline",
  ]

  public var arguments: [String]
  public var creates: HostPath?
  public var removes: HostPath?
  /// The working directory (`chdir`).
  public var directory: HostPath?
  public var environment: [String: String]
  /// Text for the program's standard input (`stdin`).
  public var standardInput: String?
  /// Ansible's `stdin_add_newline` (default true): end `stdin` with a newline.
  public var addsNewlineToInput: Bool
  /// The argument the words came from, blamed when they are empty: `cmd` when the task
  /// wrote it (or wrote neither, which is blamed there already), else `argv`.
  private var commandKey: CodingKeys = .argv

  public init(
    _ arguments: [String], creates: HostPath? = nil, removes: HostPath? = nil,
    directory: HostPath? = nil, environment: [String: String] = [:], standardInput: String? = nil,
    addsNewlineToInput: Bool = true
  ) {
    self.arguments = arguments
    self.creates = creates
    self.removes = removes
    self.directory = directory
    self.environment = environment
    self.standardInput = standardInput
    self.addsNewlineToInput = addsNewlineToInput
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case argv, cmd, creates, removes, directory = "chdir", environment
    case standardInput = "stdin", addsNewlineToInput = "stdin_add_newline"
  }

  public init(from decoder: any Decoder) throws {
    let reader = try ArgumentReader(decoder, keys: CodingKeys.self)
    // Numbers and booleans are taken as their text, as Ansible's `str` arguments take them:
    // `"{{ port }}"` is one reference, so it has the variable's type.
    let argv = (reader.optional(.argv) as [CoercedString]?)?.map(\.text)
    let cmd = (reader.optional(.cmd) as CoercedString?)?.text
    if argv != nil, cmd != nil {
      reader.record(.cmd, "argv and cmd are mutually exclusive")
    } else if argv == nil, cmd == nil, !reader.has(.argv), !reader.has(.cmd) {
      reader.record(.cmd, "one of argv or cmd is required")
    }
    var words: [String]?
    if let cmd {
      do { words = try ShellWords.split(cmd) } catch { reader.record(.cmd, error.description) }
    }
    arguments = argv ?? words ?? []
    commandKey = reader.has(.cmd) || !reader.has(.argv) ? .cmd : .argv
    creates = reader.optional(.creates)
    removes = reader.optional(.removes)
    directory = reader.optional(.directory)
    environment = [:]
    standardInput = (reader.optional(.standardInput) as CoercedString?)?.text
    addsNewlineToInput = reader.optional(.addsNewlineToInput, default: true)
    let variables: [String: JSONValue] = reader.optional(.environment) ?? [:]
    for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
      switch value {
      case .string(let text): environment[name] = text
      case .int, .double, .bool: environment[name] = value.interpolated
      default: reader.record(.environment, "'\(name)' must be a string, found \(value.typePhrase)")
      }
    }
    // Names are checked even beside a value refused above: the variable's other names are
    // what the user wrote, not placeholders.
    for problem in environmentProblems { reader.record(.environment, problem) }
    try reader.finish(checking: self)
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    environmentProblems.map { KeyedProblem(.environment, $0) }
      + (arguments.isEmpty ? [KeyedProblem(commandKey, "the command is empty")] : [])
  }

  private var environmentProblems: [String] {
    environment.keys.sorted().compactMap { name in
      let valid =
        name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
        && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
      return valid ? nil : "'\(name)' is not a valid environment variable name"
    }
  }

  /// The command as the engine runs it.
  public var command: Command {
    Command(
      arguments,
      input: standardInput.map { Data(($0 + (addsNewlineToInput ? "\n" : "")).utf8) },
      environment: environment, directory: directory?.rawValue)
  }

  public func reads(for host: InventoryHost) -> [HostRead] {
    [creates, removes].compactMap { $0 }.map {
      .fact(FileStatus(of: $0, followingLinks: true))
    }
  }
}
