public import Engine
import Foundation

/// Writes a Quadlet unit file, `<directory>/<name>.<kind>`, from typed values (the podman
/// collection's `state: quadlet`). Changed only when the file's lines differ other than in
/// comments and blank lines, so a reworded header comment never rewrites it (§7.4).
///
/// It does no daemon-reload, as in Ansible: quadlet turns the file into a service only at
/// the next reload, which the `systemd` module does with `daemon_reload: true` when a named
/// unit needs it or before it starts or restarts one.
///
/// JSON: `name`, exactly one of `container`, `image`, `network`, `volume` (each the typed
/// object of that kind, e.g. `{"image": "…", "network": "web.network", "exec": ["a", "b"]}`),
/// and optional `unit`, `service`, `install` sections, `directory` and `mode` (`"0644"`).
///
/// `mode`, when given, is enforced: an unchanged file whose mode drifted gets a `chmod`, with
/// Ansible's dict diff. Without it, as the collection's `quadlet_file_mode`, a new file is
/// written 0640 and an existing file keeps its mode.
public struct PodmanQuadlet: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "podman_quadlet"

  /// Where the system's quadlet looks for administrator units.
  public static let systemDirectory: HostPath = "/etc/containers/systemd"

  /// The unit's name without extension; `web@` for a template (`web@.container`).
  public var name: String
  public var definition: QuadletUnit
  public var directory: HostPath
  /// Enforced when set; nil: `newFileMode` for a new file, an existing file's mode kept.
  public var mode: FileMode?

  /// The podman collection's default mode for a Quadlet file it creates.
  public static let newFileMode: FileMode = 0o640

  public init(
    name: String, _ resource: QuadletUnit.Resource, unit: SystemdUnitSection = .init(),
    service: SystemdServiceSection = .init(), install: SystemdInstallSection = .init(),
    directory: HostPath = PodmanQuadlet.systemDirectory, mode: FileMode? = nil
  ) {
    self.name = name
    self.definition = QuadletUnit(resource, unit: unit, service: service, install: install)
    self.directory = directory
    self.mode = mode
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case name, container, image, network, volume, unit, service, install, directory, mode
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    name = args.required(.name) ?? ""
    directory = args.optional(.directory, default: Self.systemDirectory)
    mode = Self.mode(from: args)
    let resources: [(CodingKeys, QuadletUnit.Resource?)] = [
      (.container, args.optional(.container, as: QuadletContainer.self).map { .container($0) }),
      (.image, args.optional(.image, as: QuadletImage.self).map { .image($0) }),
      (.network, args.optional(.network, as: QuadletNetwork.self).map { .network($0) }),
      (.volume, args.optional(.volume, as: QuadletVolume.self).map { .volume($0) }),
    ]
    let given = resources.filter { args.has($0.0) }
    if given.count != 1 {
      args.record(
        given.dropFirst().first?.0 ?? .container,
        "give exactly one of 'container', 'image', 'network' or 'volume'")
    }
    definition = QuadletUnit(
      given.first?.1 ?? .volume(QuadletVolume()), unit: args.optional(.unit, default: .init()),
      service: args.optional(.service, default: .init()),
      install: args.optional(.install, default: .init()))
    try args.finish(checking: self)
  }

  /// `mode` as an octal string; a JSON integer is refused (Ansible reads `644` as decimal).
  private static func mode(from args: ArgumentReader<CodingKeys>) -> FileMode? {
    guard let text: String = args.optional(.mode) else { return nil }
    guard let mode = FileMode(octal: text) else {
      args.record(.mode, "expected an octal mode such as \"0644\", found '\(text)'")
      return nil
    }
    return mode
  }

  /// The file written.
  public var path: HostPath { directory.appending("\(name).\(definition.kind.rawValue)") }

  private var nameProblems: [String] {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.-@\\")
    var problems: [String] = []
    if name.isEmpty || name.hasPrefix(".") || !name.allSatisfy(allowed.contains) {
      problems.append(
        "'\(name)' is not a unit name (letters, digits and ':_.-@\\' only, not starting with '.')")
    }
    if name.filter({ $0 == "@" }).count > 1 { problems.append("'\(name)' has more than one '@'") }
    if let kind = QuadletKind.allCases.first(where: { name.hasSuffix(".\($0.rawValue)") }) {
      problems.append("give the name without its '.\(kind.rawValue)' extension")
    }
    return problems
  }

  /// The name's problems, and every section's, blamed on the argument that holds it.
  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    let sectionKeys: [String: CodingKeys] = [
      "Unit": .unit, "Service": .service, "Install": .install,
    ]
    let resource = CodingKeys(rawValue: definition.kind.rawValue) ?? .container
    return nameProblems.map { KeyedProblem(.name, $0) }
      + definition.problems.map {
        KeyedProblem(sectionKeys[$0.section] ?? resource, $0.description)
      }
  }

  public func reads(for host: InventoryHost) -> [HostRead] { file(text: "").reads }

  /// The unit file as a managed file: `mode` enforced when given, else `newFileMode` for a
  /// new file; up to date when only comments and blank lines differ; the directory is not
  /// looked at (quadlet's own, or one a step made).
  private func file(text: String) -> ManagedFile {
    ManagedFile(
      path: path, content: Data(text.utf8),
      attributes: FileAttributes(mode: mode.map(ModeSpec.init)),
      newFileMode: Self.newFileMode, requiresParentDirectory: false,
      isUpToDate: { current, wanted in
        QuadletFile.sameIgnoringComments(
          String(decoding: current, as: UTF8.self), String(decoding: wanted, as: UTF8.self))
      })
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    // `validate()`'s problems, the file's found by the one rendering that also makes its text.
    var problems = nameProblems.map { "name: \($0)" }
    var text = ""
    do { text = try definition.text() } catch { problems += error.problems.map(\.description) }
    if !problems.isEmpty { throw ModuleError(problems.joined(separator: "; ")) }
    let values: [String: JSONValue] = [
      "path": .string(path.rawValue),
      "service": .string(definition.kind.serviceName(for: name)),
    ]
    var plan = try await file(text: text).plan(in: context, reporting: values)
    if plan.isEmpty { plan.note = "\(path) is up to date" }
    return plan
  }
}
