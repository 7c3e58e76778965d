import Engine
import Foundation

/// The command line, parsed by hand (no third-party parser): ansible-playbook's flags, same
/// meanings, same exit code (5) for a bad option.
struct CommandLineOptions: Equatable {
  enum Output: String, Equatable { case console, json }

  var playbook: String?
  var inventory: String?
  /// `-e` values in order: `key=value` pairs, `@file`, or inline JSON objects.
  var extraVariables: [String] = []
  var check = false
  var diff = false
  var limit: String?
  var listTasks = false
  var listHosts = false
  var syntaxCheck = false
  var forceHandlers = false
  var forks = 5
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
      switch flag {
      case "-i", "--inventory", "--inventory-file": options.inventory = try take()
      case "-e", "--extra-vars": options.extraVariables.append(try take())
      case "-C", "--check": options.check = true
      case "-D", "--diff": options.diff = true
      case "-l", "--limit": options.limit = try take()
      case "--list-tasks": options.listTasks = true
      case "--list-hosts": options.listHosts = true
      case "--syntax-check": options.syntaxCheck = true
      case "--force-handlers": options.forceHandlers = true
      case "-f", "--forks":
        let text = try take()
        guard let forks = Int(text), forks > 0 else {
          throw Invalid(message: "option \(flag): expected a positive integer, found '\(text)'")
        }
        options.forks = forks
      case "-o", "--output":
        let text = try take()
        guard let output = Output(rawValue: text) else {
          throw Invalid(message: "option \(flag): expected 'console' or 'json', found '\(text)'")
        }
        options.output = output
      case "--version": options.showVersion = true
      case "-h", "--help": options.showHelp = true
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
      -i, --inventory FILE   JSON inventory (default: localhost, local connection)
      -e, --extra-vars VARS  key=value, @file.json or a JSON object; repeatable, highest precedence
      -C, --check            change nothing; report what would change
      -D, --diff             show the diff of every changed file (secrets masked)
      -l, --limit PATTERN    only hosts matching the pattern
      -f, --forks N          hosts run in parallel (default 5)
          --force-handlers   run notified handlers even on failed hosts
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
