import Connections
import Engine
import Foundation
import Modules
import Roles
import Testing

/// Every file the `dci_api` and `haproxy` roles render, as a run of `playbooks/dci_api.json`
/// with `secrets.example.json` renders it for a host of the example inventory, passed through
/// the real tools of the test hosts' rootfs: Quadlet units through `quadlet -dryrun` and
/// `systemd-analyze verify` of the services it generates, the HAProxy main config with the
/// backend fragment through `haproxy -c`. Broken variants are rejected by the same tools, so
/// a pass means something.
@Suite(
  .enabled(
    if: RootfsValidators.available,
    "needs root and the test-host rootfs (build it with `scripts/testhost/testhost rootfs`)"))
struct ValidatorTests {
  /// `api1` has the auth tracking sidecar, so every unit kind the roles write is rendered.
  static let rendered = Result { try RenderedRoles(host: "api1") }

  var rendered: RenderedRoles {
    get throws { try Self.rendered.get() }
  }

  // MARK: Quadlet

  @Test func `the roles render every Quadlet unit, instance links included`() throws {
    #expect(
      try rendered.quadlets.keys.sorted() == [
        "dci-api-auth-tracking.container", "dci-api-auth-tracking.image", "dci-api@.container",
        "dci-api@0.container", "dci-api@1.container", "dci-api@2.container",
        "dci-api@3.container", "haproxy.container", "quadlet.network",
      ])
  }

  @Test func `every Quadlet unit of the roles passes quadlet -dryrun and systemd-analyze verify`()
    throws
  {
    let rendered = try rendered
    let verdict = try RootfsValidators.quadlet(
      rendered.quadlets, with: rendered.referencedFiles)
    #expect(verdict.isValid, "\(verdict)")
    // The generated services are the ones the roles start.
    for service in [
      "dci-api@0.service", "dci-api-auth-tracking.service", "haproxy.service",
      "quadlet-network.service", "dci-api-auth-tracking-image.service",
    ] {
      #expect(verdict.messages.contains(service), "\(verdict)")
    }
  }

  @Test(arguments: QuadletBreakage.allCases)
  func `a broken variant of a role's unit is rejected`(_ breakage: QuadletBreakage) throws {
    let rendered = try rendered
    var files = rendered.quadlets
    let name = breakage.file
    let original = try #require(files[name])
    let broken = breakage.apply(to: original)
    #expect(broken != original, "the breakage did not apply to \(name)")
    files[name] = broken
    let verdict = try RootfsValidators.quadlet(files, with: rendered.referencedFiles)
    #expect(verdict.status == 1, "\(verdict)")
    #expect(verdict.messages.contains(breakage.message), "\(verdict)")
  }

  // MARK: HAProxy

  @Test func `the HAProxy main config and the dci_api backend pass haproxy -c without warnings`()
    throws
  {
    let rendered = try rendered
    let main = try #require(rendered.templates["/etc/haproxy/haproxy.cfg"])
    let backend = try #require(rendered.templates["/etc/haproxy/conf.d/10_backend_dci_api.cfg"])
    #expect(backend.contains("server dci-api-3 dci-api-3:5000"))
    let verdict = try RootfsValidators.haproxy(
      [("haproxy.cfg", main), ("10_backend_dci_api.cfg", backend)], zeroWarning: true)
    #expect(verdict.isValid, "\(verdict)")
    // The main config is valid on its own too: the role writes it before any backend exists.
    let alone = try RootfsValidators.haproxy([("haproxy.cfg", main)], zeroWarning: true)
    #expect(alone.isValid, "\(alone)")
  }

  @Test(arguments: HAProxyBreakage.allCases)
  func `a broken HAProxy config is rejected`(_ breakage: HAProxyBreakage) throws {
    let rendered = try rendered
    var main = try #require(rendered.templates["/etc/haproxy/haproxy.cfg"])
    var backend = try #require(rendered.templates["/etc/haproxy/conf.d/10_backend_dci_api.cfg"])
    var files: [(name: String, text: String)]
    switch breakage {
    case .backendWithoutMainConfig:
      files = [("10_backend_dci_api.cfg", backend)]
    case .unknownBalanceAlgorithm:
      backend = backend.replacingOccurrences(of: "balance roundrobin", with: "balance sideways")
      files = [("haproxy.cfg", main), ("10_backend_dci_api.cfg", backend)]
    case .badTimeout:
      main = main.replacingOccurrences(of: "timeout connect 2s", with: "timeout connect 2 parsecs")
      files = [("haproxy.cfg", main), ("10_backend_dci_api.cfg", backend)]
    }
    let verdict = try RootfsValidators.haproxy(files)
    #expect(verdict.status == 1, "\(verdict)")
    #expect(verdict.messages.contains(breakage.message), "\(verdict)")
  }

  // MARK: The host tests' own units

  @Test func `the units the host tests write pass systemd-analyze verify`() throws {
    let verdict = try RootfsValidators.units([
      "rh-sleep.service": BootedHostSuites.ModulesOnBootedHostTests.sleeper(
        reloads: "/run/rh-sleep.reloads"),
      "rh-rt0.service": BootedHostSuites.RoundTripTests.unit(0),
    ])
    #expect(verdict.isValid, "\(verdict)")
    let broken = try RootfsValidators.units([
      "rh-sleep.service": BootedHostSuites.ModulesOnBootedHostTests.sleeper(reloads: "/run/x")
        .replacingOccurrences(of: "ExecStart=/bin/sleep", with: "ExecStart=sleep-forever")
    ])
    #expect(broken.status == 1, "\(broken)")
  }
}

/// Ways to break a role's Quadlet unit, and what the validators say about each.
enum QuadletBreakage: String, CaseIterable, CustomTestStringConvertible {
  /// quadlet itself refuses a container without an image.
  case containerWithoutImage
  /// A key podman 5.4 does not know.
  case unknownContainerKey
  /// A `[Service]` value systemd cannot parse (quadlet passes it through).
  case invalidRestartValue
  /// An `.image` unit without its image.
  case imageWithoutReference

  var testDescription: String { rawValue }

  var file: String {
    switch self {
    case .containerWithoutImage, .invalidRestartValue: "dci-api@.container"
    case .unknownContainerKey: "haproxy.container"
    case .imageWithoutReference: "dci-api-auth-tracking.image"
    }
  }

  func apply(to text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    switch self {
    case .containerWithoutImage, .imageWithoutReference:
      return lines.filter { !$0.hasPrefix("Image=") }.joined(separator: "\n")
    case .unknownContainerKey:
      return text.replacingOccurrences(of: "[Container]\n", with: "[Container]\nMemory=64m\n")
    case .invalidRestartValue:
      return text.replacingOccurrences(of: "Restart=always", with: "Restart=sometimes")
    }
  }

  var message: String {
    switch self {
    case .containerWithoutImage: "no Image or Rootfs key specified"
    case .unknownContainerKey: "unsupported key 'Memory'"
    case .invalidRestartValue: "Restart"
    case .imageWithoutReference: "no Image key specified"
    }
  }
}

/// Ways to break the HAProxy configuration, and what `haproxy -c` says about each.
enum HAProxyBreakage: String, CaseIterable, CustomTestStringConvertible {
  /// The backend names resolvers only the main config declares.
  case backendWithoutMainConfig
  case unknownBalanceAlgorithm
  case badTimeout

  var testDescription: String { rawValue }

  var message: String {
    switch self {
    case .backendWithoutMainConfig: "resolvers 'podman'"
    case .unknownBalanceAlgorithm: "balance only supports"
    case .badTimeout: "timeout"
    }
  }
}

/// The files the `dci_api` and `haproxy` roles write for one host of the example inventory,
/// rendered as a run would: the playbook loaded with the standard modules, the roles compiled
/// with the secrets as extra variables, and each step's module built for the host.
struct RenderedRoles: Sendable {
  /// Quadlet file name → text; an instance link is `->` and the template's name.
  var quadlets: [String: String] = [:]
  /// Destination → text of every `template` step with inline content.
  var templates: [String: String] = [:]

  init(host name: String) throws {
    func load(_ path: String) throws -> Data {
      try Data(contentsOf: BootedHosts.repository.appendingPathComponent(path))
    }
    let playbook = try PlaybookLoader(modules: try ModuleRegistry(StandardModules.all))
      .load(try load("playbooks/dci_api.json"), file: "playbooks/dci_api.json")
    let inventory = try InventoryLoader.load(
      try load("playbooks/inventory.example.json"), file: "playbooks/inventory.example.json")
    let secrets = try JSONValue.parse(try load("playbooks/secrets.example.json"))
    let runner = PlaybookRunner(
      options: RunOptions(extraVariables: secrets.objectValue ?? [:]),
      roles: try RoleRegistry(StandardRoles.all), connections: FakeConnections(hosts: [:]))
    let prepared = try runner.prepare(playbook, inventory: inventory)
    let play = try #require(prepared.plays.first)
    let host = try #require(play.hosts.first { $0.name == name })
    let program = try #require(play.programs[name])
    let scope = StepScope(host: host, variables: try #require(play.variables[name]))
    for step in program.allSteps {
      guard case .module(let recipe) = step.body else { continue }
      switch try recipe.build(in: scope) {
      case let quadlet as PodmanQuadlet:
        quadlets[quadlet.path.lastComponent] = try quadlet.definition.text()
      case let links as PodmanQuadletInstances:
        for index in 0..<links.count { quadlets[links.instanceFile(index)] = "->" + links.template }
      case let template as Template:
        if case .contents(let text) = template.body {
          templates[template.destination.rawValue] = text
        }
      default:
        continue
      }
    }
  }

  /// Files the units name that must exist for `systemd-analyze verify` (the environment file).
  var referencedFiles: [String: String] {
    templates.filter { $0.key == "/etc/dci-api/dci-api.env" }
  }
}
