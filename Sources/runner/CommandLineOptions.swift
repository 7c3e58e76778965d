import Engine
import Foundation

/// The command line, parsed by hand (no third-party parser): ansible-playbook's flags, same
/// meanings, same exit code (5) for a bad option.
struct CommandLineOptions: Equatable {
  enum Output: String, Equatable { case console, json }

  var playbook: String?
  /// `-i` sources in order; merged as Ansible merges several (later settings win).
  var inventories: [String] = []
  /// `-e` values in order: `key=value` pairs, `@file`, or inline JSON objects.
  var extraVariables: [String] = []
  var vaultPasswordFiles: [String] = []
  var vaultIDs: [String] = []
  var askVaultPassword = false
  var check = false
  var diff = false
  var limit: String?
  var listTasks = false
  var listHosts = false
  var syntaxCheck = false
  var forceHandlers = false
  /// nil: the settings file's, else 5.
  var forks: Int?
  var lockTimeout = RunOptions.defaultLockTimeout
  var verbosity = 0
  var output = Output.console
  var showVersion = false
  var showHelp = false

  struct Invalid: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  static func parse(_ arguments: [String]) throws(Invalid) -> CommandLineOptions {
    var options = CommandLineOptions()
    var rest = arguments[...]
    func value(for flag: String) throws(Invalid) -> String {
      guard let next = rest.popFirst() else {
        throw Invalid(message: "option \(flag) needs a value")
      }
      return next
    }
    while let argument = rest.popFirst() {
      var flag = argument
      var inline: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        inline = String(argument[argument.index(after: equals)...])
      }
      func take() throws(Invalid) -> String {
        if let inline { return inline }
        return try value(for: flag)
      }
      /// A flag without a value: `--check=no` would otherwise mean `--check`.
      func set(_ option: WritableKeyPath<CommandLineOptions, Bool>) throws(Invalid) {
        if inline != nil {
          throw Invalid(message: "option \(flag) takes no value, found '\(argument)'")
        }
        options[keyPath: option] = true
      }
      func count(in range: ClosedRange<Int>) throws(Invalid) -> Int {
        let text = try take()
        guard let number = Int(text), range.contains(number) else {
          let bound = range.lowerBound == 0 ? "a non-negative" : "a positive"
          throw Invalid(message: "option \(flag): expected \(bound) integer, found '\(text)'")
        }
        return number
      }
      switch flag {
      case "-i", "--inventory", "--inventory-file": options.inventories.append(try take())
      case "-e", "--extra-vars": options.extraVariables.append(try take())
      case "--vault-password-file", "--vault-pass-file":
        options.vaultPasswordFiles.append(try take())
      case "--vault-id": options.vaultIDs.append(try take())
      case "-J", "--ask-vault-pass", "--ask-vault-password": try set(\.askVaultPassword)
      case "-C", "--check": try set(\.check)
      case "-D", "--diff": try set(\.diff)
      case "-l", "--limit": options.limit = try take()
      case "--list-tasks": try set(\.listTasks)
      case "--list-hosts": try set(\.listHosts)
      case "--syntax-check": try set(\.syntaxCheck)
      case "--force-handlers": try set(\.forceHandlers)
      case "-f", "--forks": options.forks = try count(in: 1...Int.max)
      case "--lock-timeout": options.lockTimeout = try count(in: 0...Int.max)
      case "-o", "--output":
        let text = try take()
        guard let output = Output(rawValue: text) else {
          throw Invalid(message: "option \(flag): expected 'console' or 'json', found '\(text)'")
        }
        options.output = output
      case "--version": try set(\.showVersion)
      case "-h", "--help": try set(\.showHelp)
      default:
        if flag.hasPrefix("-v"), flag.dropFirst().allSatisfy({ $0 == "v" }), inline == nil {
          options.verbosity += flag.count - 1
        } else if flag == "--verbose" {
          options.verbosity += 1
        } else if flag.hasPrefix("-"), flag.count > 1 {
          throw Invalid(message: "unrecognized option '\(argument)'")
        } else if options.playbook == nil {
          options.playbook = argument
        } else {
          throw Invalid(
            message: "one playbook at a time: found '\(options.playbook ?? "")' and '\(argument)'")
        }
      }
    }
    if options.playbook == nil && !options.showHelp && !options.showVersion {
      throw Invalid(message: "the playbook argument is required")
    }
    return options
  }

  static let usage = """
    usage: runner [options] PLAYBOOK.json

    Runs a JSON playbook with Ansible's semantics: roles in Swift, modules planned then applied.

    options:
      -i, --inventory FILE   JSON or Ansible INI inventory (default: localhost, local
                             connection); repeatable, the sources merged in order; group_vars/
                             and host_vars/ beside it and beside the playbook are read
      -e, --extra-vars VARS  key=value, @file (JSON or YAML, may be a vault) or a JSON object;
                             repeatable, highest precedence
          --vault-password-file FILE
                             the vault password: FILE's first line, or its output if executable
          --vault-id [LABEL@]FILE|prompt
                             a password for vaults of that id; repeatable
      -J, --ask-vault-pass   ask for the vault password (not echoed)
      -C, --check            change nothing; report what would change
      -D, --diff             show the diff of every changed file (secrets masked)
      -l, --limit PATTERN    only hosts matching the pattern
      -f, --forks N          hosts run in parallel (default 5)
          --force-handlers   run notified handlers even on failed hosts
          --lock-timeout SECONDS
                             wait this long for a host's run lock held by another run
                             (default 300; 0: fail at once)
          --list-tasks       list every task of every play, then exit
          --list-hosts       list the hosts of every play, then exit
          --syntax-check     validate playbook, inventory and role variables, then exit
      -o, --output FORMAT    console (default) or json (one document, like Ansible's json callback)
      -v, -vv, -vvv          more detail (round trips per host at -v)
          --version          print the version
      -h, --help             this help

    exit codes: 0 ok, 1 error before running, 2 a host failed, 4 a host unreachable,
    5 bad option, 99 interrupted
    """
}
