import Connections
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
  /// `-t`/`--tags` and `--skip-tags`, each repeatable and comma-separated (ansible-playbook's).
  var tags: [String] = []
  var skipTags: [String] = []
  var listTags = false
  var startAtTask: String?
  /// `--step`: ask before each task (on a terminal).
  var step = false
  /// `-u`, `--private-key`, `-c`, `-T`, `--ssh-common-args`, `-b`, `--become-user`: defaults
  /// for every host, below the inventory's own settings and `ansible_*` variables (Ansible's
  /// precedence: variables beat the command line).
  var user: String?
  var privateKey: String?
  var connection: TransportName?
  var timeout: Int?
  var sshCommonArgs: [String] = []
  var become = false
  var becomeUser: String?
  /// nil: the settings file's, else 5.
  var forks: Int?
  var lockTimeout = RunOptions.defaultLockTimeout
  var verbosity = 0
  var output = Output.console
  /// Accepted, does nothing: there is no fact cache.
  var flushCache = false
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
      } else if let cluster = ShortFlagCluster(argument) {
        // `-CD`, `-vvv`, `-f5`: the first flag, then the rest as its value or as more flags.
        flag = cluster.flag
        if Self.shortFlagsTakingValues.contains(cluster.flag) {
          inline = cluster.rest
        } else {
          rest.insert("-" + cluster.rest, at: rest.startIndex)
        }
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
      case "-t", "--tags": options.tags += TagSelection.names(in: try take())
      case "--skip-tags": options.skipTags += TagSelection.names(in: try take())
      case "--list-tags": try set(\.listTags)
      case "--start-at-task": options.startAtTask = try take()
      case "--step": try set(\.step)
      case "-u", "--user": options.user = try take()
      case "--private-key", "--key-file": options.privateKey = try take()
      case "-c", "--connection":
        let text = try take()
        let transports = TransportRegistry.standard
        guard let transport = transports.transport(named: TransportName(text)) else {
          throw Invalid(
            message: "option \(flag): expected \(transports.namesForMessages), found '\(text)'")
        }
        options.connection = transport.name
      case "-T", "--timeout": options.timeout = try count(in: 1...Int.max)
      case "--ssh-common-args", "--ssh-extra-args":
        let text = try take()
        do {
          options.sshCommonArgs += try SSHArguments.options(fromArguments: text)
        } catch {
          throw Invalid(message: "option \(flag): \(error)")
        }
      case "-b", "--become": try set(\.become)
      case "--become-user": options.becomeUser = try take()
      case "--become-method":
        let text = try take()
        guard text == "sudo" else {
          throw Invalid(message: "option \(flag): runner becomes another user with sudo only")
        }
      case "-K", "--ask-become-pass":
        throw Invalid(
          message: "option \(flag): runner's become is `sudo -n`: give the user passwordless sudo")
      case "--flush-cache":
        // Accepted as harmless: runner keeps no fact cache to flush.
        try set(\.flushCache)
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

  /// Short flags whose value may follow in the same word (`-f5`, `-tconfig`).
  static let shortFlagsTakingValues: Set<String> = [
    "-i", "-e", "-l", "-f", "-o", "-t", "-u", "-c", "-T",
  ]

  /// The connection defaults the flags give every host, over the settings file's own.
  func connectionDefaults(over config: ConnectionDefaults) -> ConnectionDefaults {
    var defaults = config
    if let user { defaults.user = user }
    if let privateKey { defaults.options["identity_file"] = commandLine(.string(privateKey)) }
    if let connection { defaults.transport = connection }
    if become { defaults.become = true }
    if let becomeUser { defaults.becomeUser = becomeUser }
    // ssh takes the first value it is given for an option: the command line's come first.
    var sshOptions = sshCommonArgs
    if let timeout { sshOptions.append("ConnectTimeout=\(timeout)") }
    if !sshOptions.isEmpty {
      let file = defaults.options["ssh_options"]
      let fromFile = file?.value.arrayValue ?? file.map { [$0.value] } ?? []
      defaults.options["ssh_options"] = SourcedValue(
        .array(sshOptions.map(JSONValue.string) + fromFile), at: file?.source)
    }
    return defaults
  }

  /// A value the command line gave, already checked by `parse`.
  private func commandLine(_ value: JSONValue) -> SourcedValue { SourcedValue(value, at: nil) }

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
      -t, --tags TAGS        only tasks tagged so (comma-separated; repeatable; 'all',
                             'tagged', 'untagged'); 'always' tasks run unless skipped
          --skip-tags TAGS   not the tasks tagged so ('never' tasks run only when asked)
          --start-at-task NAME
                             start at the first task of that name (or pattern)
          --step             ask before each task: (N)o/(y)es/(c)ontinue
      -u, --user USER        log in as USER (an inventory setting or ansible_user wins)
          --private-key FILE the ssh key (an inventory setting wins)
      -c, --connection ssh|local|podman
                             how hosts without their own setting are reached
      -T, --timeout SECONDS  ssh connect timeout
          --ssh-common-args ARGS
                             more ssh arguments (-o Option=value, -F file, -J jump …)
      -b, --become           become root (sudo -n) where the inventory does not say
          --become-user USER become this user instead of root
      -f, --forks N          hosts run in parallel (default 5)
          --force-handlers   run notified handlers even on failed hosts
          --lock-timeout SECONDS
                             wait this long for a host's run lock held by another run
                             (default 300; 0: fail at once)
          --list-tasks       list every task of every play, then exit
          --list-hosts       list the hosts of every play, then exit
          --list-tags        list the tags of every play, then exit
          --flush-cache      accepted; runner keeps no fact cache
          --syntax-check     validate playbook, inventory and role variables, then exit
      -o, --output FORMAT    console (default) or json (one document, like Ansible's json callback)
      -v, -vv, -vvv          more detail (round trips per host at -v)
                             short flags combine: -CD, -bC, -vvvv, -f10
          --version          print the version
      -h, --help             this help

    exit codes: 0 ok, 1 error before running, 2 a host failed, 4 a host unreachable,
    5 bad option, 99 interrupted
    """
}

/// A word of several short flags (`-CD`, `-vvv`, `-f5`): argparse's rule that a short flag
/// may be followed in the same word by more flags, or by its value.
struct ShortFlagCluster {
  var flag: String
  var rest: String

  init?(_ word: String) {
    guard word.hasPrefix("-"), !word.hasPrefix("--"), word.count > 2,
      word.dropFirst().first?.isLetter == true
    else { return nil }
    flag = String(word.prefix(2))
    rest = String(word.dropFirst(2))
  }
}
