public import Engine
import Modules

/// The `haproxy` role's variables.
public struct HAProxyVariables: Sendable, Hashable {
  public var image = "docker.io/library/haproxy:3.0"
  /// The main config on the host.
  public var mainConfig: HostPath = "/etc/haproxy/haproxy.cfg"
  /// Fragments every role may drop a backend into (`10_backend_dci_api.cfg`).
  public var configDirectory: HostPath = "/etc/haproxy/conf.d"
  /// A Quadlet `.network` unit (`quadlet.network`, which this role then declares) or the name
  /// of an existing podman network.
  public var network = "quadlet.network"
  /// Port on the host that reaches the frontend.
  public var publishedPort = 8080
  /// The backend the frontend sends requests to.
  public var defaultBackend = "dci_api"
  /// The container's and the generated service's name.
  public var unitName = "haproxy"
  /// `global maxconn`: connections HAProxy accepts at once.
  public var maxConnections = 4096

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case image = "haproxy_container_image"
    case mainConfig = "haproxy_main_config"
    case configDirectory = "haproxy_config_dir"
    case network = "haproxy_container_network"
    case publishedPort = "haproxy_published_port"
    case defaultBackend = "haproxy_default_backend"
    case unitName = "haproxy_unit_name"
    case maxConnections = "haproxy_maxconn"
  }

  /// The network's name when it is a Quadlet `.network` unit this role declares.
  var quadletNetworkName: String? {
    network.hasSuffix(".network") ? String(network.dropLast(".network".count)) : nil
  }

  /// The frontend listens on this port inside the container.
  static let frontendPort = 8080

  /// The runtime API's socket on the host (systemd's `RuntimeDirectory=` of the unit, mounted
  /// into the container), where drains and returns to service are asked for.
  public var runtimeSocket: HostPath { HostPath("/run/\(unitName)/admin.sock") }
  /// The same socket inside the container, as the main config declares it.
  static let containerRuntimeDirectory = "/var/run/haproxy-runtime"
  /// The main config's directory inside the container: mounted whole, so a reload reads the
  /// file `template` replaced by rename (a single-file mount would keep the old inode).
  static let containerMainDirectory = "/usr/local/etc/haproxy/main"

  var container: QuadletContainer {
    QuadletContainer(
      image: image, containerName: unitName, network: [network],
      exec: QuadletCommand([
        "-f", "\(Self.containerMainDirectory)/\(mainConfig.lastComponent)", "-f",
        HAProxy.containerFragments,
      ]),
      publishPort: ["\(publishedPort):\(Self.frontendPort)"],
      volume: [
        "\(mainConfig.parent.rawValue):\(Self.containerMainDirectory):ro",
        "\(configDirectory.rawValue):\(HAProxy.containerFragments):ro",
        // `U`: owned by the container's user (the official image runs as `haproxy`), which
        // creates the socket there; mode 0700, so no other local user reaches the API.
        "\(runtimeSocket.parent.rawValue):\(Self.containerRuntimeDirectory):U",
      ])
  }

  /// `haproxy -c` from the HAProxy image on the files given (`%s` is the file being
  /// written), with the main config mounted too; no network, so no name is looked up (the
  /// host's resolv.conf is mounted only because `parse-resolv-conf` insists on reading one).
  public func validation(mounting files: [(host: String, container: String)]) -> String {
    var arguments = [
      "podman", "run", "--rm", "--network", "none", "--entrypoint", "haproxy",
      "-v", "/etc/resolv.conf:/etc/resolv.conf:ro",
    ]
    var checks: [String] = []
    for file in files {
      arguments += ["-v", "\(file.host):\(file.container):ro"]
      checks += ["-f", file.container]
    }
    return (arguments + [image, "-c"] + checks).joined(separator: " ")
  }

  /// Global settings, defaults, the resolver for container names, and the frontend.
  var mainConfigText: String {
    """
    # Managed by runner (role haproxy): edits are overwritten.
    global
        log stdout format raw local0
        maxconn \(maxConnections)
        # The runtime API: runner drains a server before it restarts or stops it.
        stats socket \(Self.containerRuntimeDirectory)/admin.sock mode 600 level admin

    # A request whose server went away is sent to another one (`redispatch`) instead of
    # failing; a dead address is given up on quickly.
    defaults
        mode http
        log global
        option httplog
        option dontlognull
        option redispatch
        retries 3
        timeout connect 2s
        timeout client 60s
        timeout server 60s

    # Podman's DNS (aardvark) answers container names; servers resolve at run time, so a
    # backend whose instance is down does not stop HAProxy from starting, and a restarted
    # container's new address is picked up within a second.
    resolvers podman
        parse-resolv-conf
        timeout resolve 1s
        hold valid 1s
        hold nx 1s
        hold obsolete 1s

    # The backend comes from a fragment of another role; naming it dynamically keeps this
    # file valid on its own (`haproxy -c` checks it before the fragment exists).
    frontend main
        bind :\(Self.frontendPort)
        use_backend %[str(\(defaultBackend))]

    """
  }
}

extension HAProxyVariables: Decodable {
  public init(from decoder: any Decoder) throws {
    let vars = try ArgumentReader(decoder, keys: CodingKeys.self)
    image = vars.optional(.image, default: image)
    mainConfig = vars.optional(.mainConfig, default: mainConfig)
    configDirectory = vars.optional(.configDirectory, default: configDirectory)
    if let problem = ServicePaths.fileProblem(mainConfig, fileExtension: "cfg") {
      vars.record(.mainConfig, problem)
    }
    if let problem = ServicePaths.directoryProblem(configDirectory) {
      vars.record(.configDirectory, problem)
    }
    network = vars.optional(.network, default: network)
    publishedPort = vars.optional(.publishedPort, default: publishedPort)
    vars.check(
      (1...65535).contains(publishedPort), .publishedPort,
      "expected a port in 1...65535, found \(publishedPort)")
    defaultBackend = vars.optional(.defaultBackend, default: defaultBackend)
    unitName = vars.optional(.unitName, default: unitName)
    maxConnections = vars.optional(.maxConnections, default: maxConnections)
    vars.check(
      maxConnections >= 1, .maxConnections, "expected a positive integer, found \(maxConnections)")
    for (key, value) in [
      (CodingKeys.defaultBackend, defaultBackend), (.unitName, unitName), (.network, network),
    ] {
      vars.check(
        !value.isEmpty && value.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) },
        key,
        "expected a name of letters, digits, '-', '_' or '.', found '\(value)'")
    }
    try vars.finish()
  }
}
