import Engine
import Modules

/// The units, backend and commands the role derives from its variables.
extension DCIAPIVariables {
  static let backendName = "dci_api"

  var instanceUnits: [String] { (0..<containerScale).map { "dci-api@\($0).service" } }

  var sidecarImage: String { authTrackingImage ?? containerImage }

  /// The Podman secret that carries `sso_public_key` to the API as `SSO_PUBLIC_KEY`: a PEM
  /// key is several lines, which podman's environment file cannot carry, while a secret
  /// reaches the container byte for byte, travels on standard input only and is compared in
  /// place, so a rotation is detected (and predicted by `--check`). An empty key: no secret.
  var ssoPublicKeySecret: PodmanSecret { Self.ssoPublicKeySecret(ssoPublicKey) }

  static func ssoPublicKeySecret(_ key: String) -> PodmanSecret {
    key.isEmpty
      ? PodmanSecret(name: ssoPublicKeySecretName, state: .absent)
      : PodmanSecret(name: ssoPublicKeySecretName, data: key)
  }

  static let ssoPublicKeySecretName = "dci-api-sso-public-key"

  /// The other secret settings (`DB_PASSWORD`, the S3 and RHDL keys), each a Podman secret
  /// named `dci-api-<name>` and given to the containers as its variable, never through the
  /// env file: podman keeps a container's environment, its env file's values included, in its
  /// database (`/var/lib/containers/storage/db.sql`, mode 0644 in a 0755 directory on a stock
  /// Debian host), where every local user can read it; its secrets store is root's only.
  var settingSecrets: [(target: String, secret: PodmanSecret)] {
    environment.secrets.map { name, value in
      (name, PodmanSecret(name: Self.secretName(for: name), data: value))
    }
  }

  static func secretName(for variable: String) -> String {
    "dci-api-" + variable.lowercased().replacing("_", with: "-")
  }

  /// `Secret=` lines for the setting secrets, which both containers get.
  var settingSecretEntries: [QuadletEntry] {
    settingSecrets.map { target, secret in
      QuadletEntry("Secret", "\(secret.name),type=env,target=\(target)")
    }
  }

  /// `Secret=` lines of the API: the setting secrets and the SSO key (where there is one).
  var apiSecretEntries: [QuadletEntry] {
    guard !ssoPublicKey.isEmpty else { return settingSecretEntries }
    return settingSecretEntries + [
      QuadletEntry("Secret", "\(Self.ssoPublicKeySecretName),type=env,target=SSO_PUBLIC_KEY")
    ]
  }

  /// `curl --head` as the seed has it, with `--fail`: without it a 503 (the server cannot
  /// reach its database) counts as healthy.
  static let healthCommand =
    "curl --head --fail --silent --show-error http://localhost:5000/api/v1/"

  /// The API's Quadlet template: one container per instance, named `dci-api-<n>`. The image's
  /// entrypoint is kept (it waits for the database and syncs the schema before it execs the
  /// command). `Notify=healthy` makes a start done only once the health check passes, so a
  /// start that cannot become healthy fails the `systemctl start` that asked for it; the
  /// startup check runs every second until then.
  var apiContainer: QuadletContainer {
    get throws {
      let extra = [
        QuadletEntry("HealthStartupCmd", Self.healthCommand),
        QuadletEntry("HealthStartupInterval", "1s"),
        QuadletEntry("Notify", "healthy"),
      ]
      return try QuadletContainer(image: containerImage) {
        $0.containerName = "dci-api-%i"
        $0.network = [containerNetwork]
        $0.environmentFile = [DCIAPI.environmentPath.rawValue]
        $0.environment = gunicornEnvironment
        $0.exec = QuadletCommand(try gunicornCommand)
        $0.healthCmd = .shell(Self.healthCommand)
        $0.healthInterval = "30s"
        $0.healthStartPeriod = "10s"
        $0.label = ["app": "dci-api"]
        $0.extra = apiSecretEntries + extra
      }
    }
  }

  /// The sidecar syncing authentication data to Redis; its image comes from an `.image` unit.
  var sidecarContainer: QuadletContainer {
    QuadletContainer(image: "\(DCIAPI.sidecar).image") {
      $0.containerName = DCIAPI.sidecar
      $0.network = [containerNetwork]
      $0.environmentFile = [DCIAPI.environmentPath.rawValue]
      $0.exec = QuadletCommand(["bin/dci-sync-redis-auth", "--interval", "30", "--threshold", "10"])
      $0.label = ["app": "dci-api-auth-tracking"]
      $0.extra = settingSecretEntries
    }
  }

  /// The instances' servers in HAProxy's backend, through the `haproxy` role's runtime socket.
  var instancesRotation: HAProxyRotation {
    HAProxyRotation(
      socket: HAProxyVariables().runtimeSocket, backend: Self.backendName,
      serverPattern: "dci-api-%i")
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
      // Checked every second, out after 2 failures, back after 2 successes. `libc` first: a
      // reloaded HAProxy knows every running instance's address at once, before its
      // resolver's first answer (with only `none` it would answer 503 for that moment).
      "    default-server check inter 1s fall 2 rise 2 resolvers podman init-addr last,libc,none",
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
