/// A whole Quadlet file as typed values: the resource (`[Container]`, `[Image]`, …) plus the
/// `[Unit]`, `[Service]` and `[Install]` sections, rendered to the text quadlet reads.
public struct QuadletUnit: Sendable, Hashable {
  /// What the unit makes podman manage; its kind names the file's extension and section.
  public enum Resource: Sendable, Hashable {
    case container(QuadletContainer)
    case image(QuadletImage)
    case network(QuadletNetwork)
    case volume(QuadletVolume)

    public var kind: QuadletKind {
      switch self {
      case .container: .container
      case .image: .image
      case .network: .network
      case .volume: .volume
      }
    }

    var section: QuadletSectionWriter {
      switch self {
      case .container(let container): container.section
      case .image(let image): image.section
      case .network(let network): network.section
      case .volume(let volume): volume.section
      }
    }
  }

  public var resource: Resource
  public var unit: SystemdUnitSection
  public var service: SystemdServiceSection
  public var install: SystemdInstallSection

  public init(
    _ resource: Resource, unit: SystemdUnitSection = .init(),
    service: SystemdServiceSection = .init(), install: SystemdInstallSection = .init()
  ) {
    self.resource = resource
    self.unit = unit
    self.service = service
    self.install = install
  }

  public var kind: QuadletKind { resource.kind }

  private var sections: [QuadletSectionWriter] {
    [unit.section, resource.section, service.section, install.section]
  }

  /// Every value or key that cannot be written; empty when the unit renders.
  public var problems: [QuadletProblem] { sections.flatMap(\.problems) }

  /// The file, or every problem at once.
  public func file() throws(QuadletProblems) -> QuadletFile {
    let sections = self.sections
    let problems = sections.flatMap(\.problems)
    guard problems.isEmpty else { throw QuadletProblems(problems) }
    return QuadletFile(sections.map(\.file))
  }

  /// The file's text, or every problem at once.
  public func text() throws(QuadletProblems) -> String { try file().text }
}

/// The kinds of Quadlet unit this runner writes, named as their file extension.
public enum QuadletKind: String, Sendable, Hashable, CaseIterable {
  case container
  case image
  case network
  case volume

  /// The service quadlet generates from `<name>.<kind>`: `web.service` for a container,
  /// `web-network.service` for a network, and so on (unless `ServiceName=` overrides it).
  public func serviceName(for name: String) -> String {
    self == .container ? "\(name).service" : "\(name)-\(rawValue).service"
  }
}
