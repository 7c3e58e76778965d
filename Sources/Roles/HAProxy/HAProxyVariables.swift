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
    QuadletContainer(image: image) {
      $0.containerName = unitName
      $0.network = [network]
      $0.exec = QuadletCommand([
        "-f", "\(Self.containerMainDirectory)/\(mainConfig.lastComponent)", "-f",
        HAProxy.containerFragments,
      ])
      $0.publishPort = ["\(publishedPort):\(Self.frontendPort)"]
      $0.volume = [
        "\(mainConfig.parent.rawValue):\(Self.containerMainDirectory):ro",
        "\(configDirectory.rawValue):\(HAProxy.containerFragments):ro",
        // `U`: owned by the container's user (the official image runs as `haproxy`), which
        // creates the socket there; mode 0700, so no other local user reaches the API.
        "\(runtimeSocket.parent.rawValue):\(Self.containerRuntimeDirectory):U",
      ]
    }
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

extension HAProxyVariables: DeclaredVariables {
  public static var declarations: [RoleVariable<Self>] {
    [
      .optional("haproxy_container_image", \.image),
      .optional(
        "haproxy_main_config", \.mainConfig,
        rules: [VariableRule { ServicePaths.fileProblem($0, fileExtension: "cfg") }]),
      .optional(
        "haproxy_config_dir", \.configDirectory,
        rules: [VariableRule(ServicePaths.directoryProblem)]),
      .optional("haproxy_container_network", \.network, rules: [.name]),
      .optional("haproxy_published_port", \.publishedPort, rules: [.port]),
      .optional("haproxy_default_backend", \.defaultBackend, rules: [.name]),
      .optional("haproxy_unit_name", \.unitName, rules: [.name]),
      .optional("haproxy_maxconn", \.maxConnections, rules: [.positive]),
    ]
  }
}
