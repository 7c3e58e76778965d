public import Foundation

/// runner's settings file, found as ansible.cfg is found (`RunnerConfigLocator`): what an
/// operator would otherwise type on every run. Every key is optional; a command-line flag
/// beats the file. Relative paths are relative to the file's own folder, as ansible.cfg's are.
///
/// ```json
/// { "inventory": ["inventory.ini"], "forks": 10, "extra_vars": ["@secrets.yml"],
///   "vault_password_file": "~/.vault-pass", "host_key_checking": true,
///   "ssh_options": ["ConnectTimeout=5"], "become": true, "control_persist": 60 }
/// ```
///
/// Keys other than its own (`Key`) are the transports' (`Transport.settingKeys`: ssh's
/// `host_key_checking`, `ssh_options`, `control_persist`), defaults for every host, checked
/// here by each transport that reads them.
public struct RunnerConfig: Sendable, Equatable {
  public var file: String?
  public var inventories: [String] = []
  public var forks: Int?
  /// `-e` values (`@file`, `key=value`, JSON), applied before the command line's.
  public var extraVariables: [String] = []
  public var vaultPasswordFiles: [String] = []
  public var vaultIDs: [String] = []
  /// Defaults for every host; the inventory (and `ansible_*` variables) override them.
  public var hosts = ConnectionDefaults()
  /// `nocolor`, `force_color`: the console's colours (environment variables beat them).
  public var colours = ColourSettings()

  public init() {}

  /// runner's own settings, each spelled once.
  enum Key: String, CodingKey, CaseIterable {
    case inventory, forks, extraVars = "extra_vars", vaultPasswordFile = "vault_password_file"
    case vaultID = "vault_id", become, becomeUser = "become_user", noColour = "nocolor"
    case forceColour = "force_color"
  }

  /// Reads `data`, the file at `file`; every problem names the file and key.
  public static func load(
    _ data: Data, file: String, transports: TransportRegistry
  ) throws -> RunnerConfig {
    let document: JSONValue
    do {
      document = try JSONValue.parse(data)
    } catch {
      throw DefinitionErrors([PlaybookLoader.diagnostic(for: error, in: file)])
    }
    let reader = DocumentReader(file: file)
    guard let members = reader.object(document, at: .root, what: "runner's settings") else {
      throw DefinitionErrors(reader.problems)
    }
    reader.rejectUnknown(
      members, known: Key.allCases.map(\.rawValue) + transports.settingKeys, at: .root,
      what: "setting")
    let keys = KeyedObject<Key>(members: members, path: .root, reader: reader)
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    func path(_ text: String) -> String {
      if text.hasPrefix("~/") {
        return FileManager.default.homeDirectoryForCurrentUser.path + String(text.dropFirst())
      }
      return text.hasPrefix("/") ? text : folder.appending(path: text).standardizedFileURL.path
    }
    var config = RunnerConfig()
    config.file = file
    config.inventories = keys.strings(.inventory).map(path)
    config.forks = keys.int(.forks, in: 1...10_000)
    config.extraVariables = keys.strings(.extraVars).map {
      $0.hasPrefix("@") ? "@" + path(String($0.dropFirst())) : $0
    }
    config.vaultPasswordFiles = keys.strings(.vaultPasswordFile).map(path)
    config.vaultIDs = keys.strings(.vaultID).map { id in
      let parts = id.split(separator: "@", maxSplits: 1).map(String.init)
      guard parts.count == 2, parts[1] != "prompt" else { return id }
      return parts[0] + "@" + path(parts[1])
    }
    for key in transports.settingKeys {
      if let value = members[key] {
        config.hosts.options[key] = SourcedValue(
          value, at: reader.location(JSONPath.root.appending(key)))
      }
    }
    config.hosts.become = keys.bool(.become)
    config.hosts.becomeUser = keys.string(.becomeUser)
    config.colours.noColour = keys.bool(.noColour)
    config.colours.forceColour = keys.bool(.forceColour)
    var problems = reader.problems
    for transport in transports.transports {
      let defaultsOnly = InventoryHost(
        name: "",
        connection: ConnectionSettings(
          transport: transport.name, options: TransportOptions(defaults: config.hosts.options)))
      for problem in transport.problems(in: defaultsOnly) where !problems.contains(problem) {
        problems.append(problem)
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    return config
  }
}

/// Connection settings every host starts from before its inventory entry and variables:
/// runner's settings file (`RunnerConfig.hosts`) under the command line's; nil keeps runner's
/// own default.
public struct ConnectionDefaults: Sendable, Equatable {
  /// `-c`: how hosts without their own `connection` are reached.
  public var transport: TransportName?
  /// `-u`.
  public var user: String?
  public var become: Bool?
  public var becomeUser: String?
  /// The transports' own settings (`--private-key` as `identity_file`, the settings file's
  /// `ssh_options`), read by each host's transport (`TransportOptions.defaults`).
  public var options: [String: SourcedValue] = [:]

  public init() {}
}
