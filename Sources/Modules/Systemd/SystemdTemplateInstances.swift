public import Engine

/// The loaded instances of a template unit (`dci-api@*.service`), from one `systemctl show`
/// with a pattern: instance name → active state.
public struct SystemdTemplateInstances: Fact {
  /// `dci-api@`
  public var template: String

  public init(template: String) { self.template = template }

  var pattern: String { "\(template)*.service" }

  public var command: Command {
    Command(
      [
        "systemctl", "show", "--property=" + SystemdUnitStates.properties.joined(separator: ","),
        "--", pattern,
      ])
  }

  /// Whether a unit is one of this template's instances.
  func matches(_ unit: String) -> Bool {
    unit.hasPrefix(template) && unit.hasSuffix(".service")
      && unit.count > template.count + ".service".count
  }

  public func parse(_ output: CommandOutput) throws -> [String: String] {
    guard output.exitCode == 0 else { throw CommandFailed(command, output: output) }
    var instances: [String: String] = [:]
    for block in SystemdUnitStates.blocks(in: output.stdout) {
      // A unit whose file is gone (`not-found`) may still run: it counts.
      guard let unit = block["Id"], matches(unit) else { continue }
      let instance = unit.dropFirst(template.count).dropLast(".service".count)
      instances[String(instance)] = block["ActiveState"] ?? ""
    }
    return instances
  }
}
