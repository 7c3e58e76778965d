/// Reads a transport's settings for one host (`ConnectionSettings.options`) the way the rest
/// of an inventory is read: every problem collected, each where the value was set. A host
/// entry's and the settings file's values are JSON and must have the right type; an
/// `ansible_*` variable is read as Ansible reads it (`"22"` is a port, `yes` a boolean). A
/// host entry's keys that no transport reads are refused by the inventory loader, from the
/// transports' `settingKeys`.
public struct TransportOptionReader {
  /// The keys of a host entry the engine reads itself, whatever the transport.
  public enum EngineKey: String, CodingKey, CaseIterable {
    case connection, address, user, become, becomeUser = "become_user", vars
  }

  public static let engineKeys = EngineKey.allCases.map(\.rawValue)

  public let host: String
  public let options: TransportOptions
  public private(set) var problems: [Diagnostic] = []

  public init(_ host: InventoryHost) {
    self.host = host.name
    options = host.connection.options
  }

  /// The entry's `key`, else the defaults'.
  public func setting(_ key: String) -> SourcedValue? {
    options.entry[key] ?? options.defaults[key]
  }

  public mutating func string(_ key: String) -> String? {
    read(key) { $0.string($1, at: $2) }
  }

  public mutating func bool(_ key: String) -> Bool? {
    read(key) { $0.bool($1, at: $2) }
  }

  public mutating func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
    read(key) { $0.int($1, at: $2, in: range) }
  }

  /// A list of strings (or one string) from the entry; the defaults' are separate
  /// (`defaultStrings`), since a transport may add both up.
  public mutating func strings(_ key: String) -> [String] {
    guard let setting = options.entry[key] else { return [] }
    return located(setting) { $0.strings($1, at: $2) }
  }

  public mutating func defaultStrings(_ key: String) -> [String] {
    guard let setting = options.defaults[key] else { return [] }
    return located(setting) { $0.strings($1, at: $2) }
  }

  /// The host's variables among `names` that are set, in name order: where several are, the
  /// last one wins (as runner has always read `ansible_port` and `ansible_ssh_port`).
  public func variables(_ names: [String]) -> [(name: String, value: JSONValue)] {
    names.sorted().compactMap { name in options.variables[name].map { (name, $0.value) } }
  }

  /// The last of the variables `names` that the host sets and `convert` takes (in the order
  /// `variables` gives them); each value `convert` refuses is reported as `problem` says.
  public mutating func variable<Value>(
    _ names: [String], problem: (JSONValue) -> String, _ convert: (JSONValue) -> Value?
  ) -> Value? {
    var found: Value?
    for (name, value) in variables(names) {
      if let converted = convert(value) {
        found = converted
      } else {
        self.problem(variable: name, problem(value))
      }
    }
    return found
  }

  /// A problem with variable `name`, located where its winning value was set.
  public mutating func problem(variable name: String, _ message: String) {
    problems.append(
      Diagnostic(at: options.variables[name]?.source, "host '\(host)': \(name): \(message)"))
  }

  /// Ansible's reading of a variable as text: a string, or a number written bare.
  public static func text(_ value: JSONValue) -> String? {
    switch value {
    case .string(let text): text
    case .int(let number): String(number)
    default: nil
    }
  }

  public static func integer(_ value: JSONValue) -> Int? {
    switch value {
    case .int(let number): number
    case .string(let text): Int(text)
    default: nil
    }
  }

  /// Ansible's `boolean`: yes/no, true/false, on/off, 1/0, any case.
  public static func boolean(_ value: JSONValue) -> Bool? {
    switch value {
    case .bool(let flag): return flag
    case .int(let number) where number == 0 || number == 1: return number == 1
    case .string(let text):
      switch text.lowercased() {
      case "yes", "true", "on", "1", "y", "t": return true
      case "no", "false", "off", "0", "n", "f": return false
      default: return nil
      }
    default: return nil
    }
  }

  private mutating func read<T>(
    _ key: String, _ decode: (DocumentReader, JSONValue, JSONPath) -> T?
  ) -> T? {
    guard let setting = setting(key) else { return nil }
    return located(setting, decode)
  }

  private mutating func located<T>(
    _ setting: SourcedValue, _ decode: (DocumentReader, JSONValue, JSONPath) -> T
  ) -> T {
    let reader = DocumentReader(file: setting.source?.file ?? "the command line")
    let value = decode(reader, setting.value, setting.source?.path ?? .root)
    problems += reader.problems
    return value
  }
}
