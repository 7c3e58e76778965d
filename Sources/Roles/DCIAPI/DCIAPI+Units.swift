import Engine
import Modules

/// The units, backend and commands the role derives from its variables.
extension DCIAPIVariables {
  static let backendName = "dci_api"

  var instanceUnits: [String] { (0..<containerScale).map { "dci-api@\($0).service" } }

  var sidecarImage: String { authTrackingImage ?? containerImage }

  /// The API's Quadlet template: one container per instance, named `dci-api-<n>`.
  var apiContainer: QuadletContainer {
    get throws {
      QuadletContainer(
        image: containerImage, containerName: "dci-api-%i", network: [containerNetwork],
        environmentFile: [DCIAPI.environmentPath.rawValue],
        exec: QuadletCommand(try gunicornCommand),
        healthCmd: "curl --head http://localhost:5000/api/v1/", healthInterval: "30s",
        healthStartPeriod: "10s", label: ["app": "dci-api"])
    }
  }

  /// The sidecar syncing authentication data to Redis; its image comes from an `.image` unit.
  var sidecarContainer: QuadletContainer {
    QuadletContainer(
      image: "\(DCIAPI.sidecar).image", containerName: DCIAPI.sidecar, network: [containerNetwork],
      environmentFile: [DCIAPI.environmentPath.rawValue],
      exec: QuadletCommand(["bin/dci-sync-redis-auth", "--interval", "30", "--threshold", "10"]),
      label: ["app": "dci-api-auth-tracking"])
  }

  var backendPath: HostPath { haproxyConfigDirectory.appending("10_backend_dci_api.cfg") }

  /// One `server` per instance, addressed by container name and resolved at run time, so
  /// HAProxy starts even when an instance is down.
  var backendText: String {
    var lines = [
      "# Managed by runner (role dci_api): edits are overwritten.",
      "backend \(Self.backendName)",
      "    balance roundrobin",
      "    option httpchk HEAD /api/v1/",
      "    default-server check resolvers podman init-addr last,none",
    ]
    lines += (0..<containerScale).map { "    server dci-api-\($0) dci-api-\($0):5000" }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `haproxy -c` on the main config with the new backend.
  var backendValidation: String {
    var haproxy = HAProxyVariables()
    haproxy.image = haproxyImage
    return haproxy.validation(mounting: [
      (haproxyMainConfig.rawValue, HAProxy.containerConfig),
      ("%s", HAProxy.containerFragments + "/10_backend_dci_api.cfg"),
    ])
  }
}
