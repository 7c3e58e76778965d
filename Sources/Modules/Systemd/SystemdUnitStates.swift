public import Engine

/// Fact: the state of several units, read with ONE `systemctl show` call so that starting N
/// template instances costs one round trip, not N.
///
/// `systemctl show` prints one block of `Key=value` lines per unit named, in the order named,
/// separated by blank lines; a unit systemd does not know still gets a block
/// (`LoadState=not-found`). Blocks are matched to names by position, not by `Id`, because `Id`
/// differs from the name asked for when the name is an alias or lacks its `.service` suffix.
public struct SystemdUnitStates: Fact {
  /// The properties asked for; nothing else is parsed.
  static let properties = [
    "Id", "LoadState", "ActiveState", "SubState", "UnitFileState", "NeedDaemonReload",
    "FragmentPath", "SourcePath",
  ]

  public var units: [String]
  public var scope: SystemdScope

  public init(units: [String], scope: SystemdScope = .system) {
    self.units = units
    self.scope = scope
  }

  public var command: Command {
    Command(
      scope.systemctl + ["show", "--property=" + Self.properties.joined(separator: ","), "--"]
        + units)
  }

  /// One state per unit asked for, in the same order.
  public func parse(_ output: CommandOutput) throws -> [SystemdUnitState] {
    guard output.succeeded else { throw CommandFailed(command, output: output) }
    let blocks = Self.blocks(in: output.stdout)
    guard blocks.count == units.count else {
      throw ModuleError(
        "systemctl show printed \(blocks.count) unit block(s) for \(units.count) unit(s) "
          + "(\(units.joined(separator: ", "))); cannot tell which state belongs to which unit")
    }
    return zip(units, blocks).map { name, properties in
      SystemdUnitState(
        id: properties["Id"].flatMap { $0.isEmpty ? nil : $0 } ?? name,
        loadState: properties["LoadState"] ?? "",
        activeState: properties["ActiveState"] ?? "",
        subState: properties["SubState"] ?? "",
        unitFileState: properties["UnitFileState"] ?? "",
        needsDaemonReload: properties["NeedDaemonReload"] == "yes",
        fragmentPath: properties["FragmentPath"] ?? "",
        sourcePath: properties["SourcePath"] ?? "")
    }
  }

  /// Splits `systemctl show` output into blocks of properties (split at the first `=`, so
  /// values may contain `=`); runs of blank lines count as one separator.
  static func blocks(in text: String) -> [[String: String]] {
    var blocks: [[String: String]] = []
    var current: [String: String] = [:]
    // Split on Character newlines: "\r\n" is one Character in Swift, so this handles both.
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      if line.isEmpty {
        if !current.isEmpty { blocks.append(current) }
        current = [:]
        continue
      }
      guard let equals = line.firstIndex(of: "=") else { continue }
      current[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    if !current.isEmpty { blocks.append(current) }
    return blocks
  }
}
