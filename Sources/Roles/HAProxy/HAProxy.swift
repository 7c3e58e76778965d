public import Engine
import Modules

extension HandlerID {
  public static let restartHAProxy: HandlerID = "Restart haproxy"
  public static let reloadHAProxy: HandlerID = "Reload haproxy"
}

/// HAProxy in a Quadlet container on the services' network, reading its main config plus
/// every fragment of `haproxy_config_dir` (other roles drop their backends there). Every config
/// it writes passes `haproxy -c` (run from the HAProxy image) before it replaces the old one.
public struct HAProxy: Role {
  public static let name: RoleName = "haproxy"
  public static let variableNames = HAProxyVariables.variableNames

  public var variables: HAProxyVariables

  public init(_ variables: HAProxyVariables = HAProxyVariables()) { self.variables = variables }

  public init(from decoder: any Decoder) throws {
    variables = try HAProxyVariables(from: decoder)
  }

  /// Inside the container, the main config and the fragments directory.
  static let containerConfig = "/usr/local/etc/haproxy/haproxy.cfg"
  static let containerFragments = "/usr/local/etc/haproxy/conf.d"
  /// The mode of the role's Quadlet units, as for the dci_api role's (podman_quadlet's own
  /// default for a new file is Ansible's 0640).
  static let unitMode: FileMode = 0o644
  /// Registered by the container's Quadlet step: whether systemd must reload to know it.
  static let unitsWritten = "haproxy_container_unit"

  public var steps: [Step] {
    let v = variables
    Step("Create the HAProxy config directories") {
      File(path: v.mainConfig.parent, state: .directory, mode: "0755")
    }
    if v.configDirectory != v.mainConfig.parent {
      Step("Create the HAProxy fragments directory") {
        File(path: v.configDirectory, state: .directory, mode: "0755")
      }
    }
    if let network = v.quadletNetworkName {
      Step("Declare the \(network).network unit", notify: .restartHAProxy) {
        PodmanQuadlet(
          name: network,
          .network(
            QuadletNetwork {
              $0.networkName = network
            }), mode: Self.unitMode)
      }
    }
    Step("Pull the HAProxy image") { PodmanImage(name: v.image) }
    // A reload is enough: the main config's directory is mounted whole (as the fragments'
    // directory is), so the reload reads the file `template` replaced by rename, and a
    // reload keeps the connections HAProxy is serving.
    Step("Render the main HAProxy config", notify: .reloadHAProxy) {
      Template(
        destination: v.mainConfig, contents: v.mainConfigText, mode: "0644",
        validate: v.validation(mounting: [("%s", Self.containerConfig)]))
    }
    Step("Declare the HAProxy container", notify: .restartHAProxy) {
      PodmanQuadlet(
        name: v.unitName, .container(v.container),
        unit: SystemdUnitSection {
          $0.description = "HAProxy"
        },
        service: SystemdServiceSection {
          $0.restart = "always"
          $0.extra = [
            QuadletEntry("ExecReload", "/usr/bin/podman kill --signal USR2 \(v.unitName)"),
            // The runtime API's socket directory (`runtimeSocket`), made anew at each start.
            QuadletEntry("RuntimeDirectory", v.unitName),
            QuadletEntry("RuntimeDirectoryMode", "0700"),
          ]
        },
        install: SystemdInstallSection {
          $0.wantedBy = ["multi-user.target"]
        }, mode: Self.unitMode)
    }.registered(as: Self.unitsWritten)
    // A Quadlet file just written becomes a unit only at a daemon-reload, and Debian's own
    // haproxy package has a unit of the same name: without the reload, that one would start.
    Step("Reload systemd for new HAProxy units") { Systemd(daemonReload: true) }
      .when(
        Condition("\(Self.unitsWritten) is changed") { scope in
          scope.registered(Self.unitsWritten)?.objectValue?["changed"] == .bool(true)
        })
    Step("Start HAProxy") {
      Systemd(name: "\(v.unitName).service", state: .started, daemonReload: true)
    }
  }

  public var handlers: [Handler] {
    let unit = "\(variables.unitName).service"
    Handler(.restartHAProxy) { Systemd(name: unit, state: .restarted, daemonReload: true) }
    // Done once the new worker serves the runtime API, so a drain that follows (the dci_api
    // role's rolling restart) is asked of the HAProxy that stays.
    Handler(.reloadHAProxy) { HAProxyReload(unit: unit, socket: variables.runtimeSocket) }
  }
}
