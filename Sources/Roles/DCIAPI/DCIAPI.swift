public import Engine
import Modules

extension HandlerID {
  public static let restartAPI: HandlerID = "Restart dci-api"
  public static let restartAuthTracking: HandlerID = "Restart dci-api-auth-tracking"
  public static let backupBeforeRestart: HandlerID = "Run yolo backup with 'current' tag"
}

/// The DCI API: `dci_api_container_scale` instances of a Quadlet template unit behind the
/// `haproxy` role, an auth-tracking sidecar where enabled, one environment file for all.
/// Handlers fire only when something they watch changed: the backup first, then the restart.
public struct DCIAPI: Role, PlayWideChecking {
  public static let name: RoleName = "dci_api"
  public static let variableNames = DCIAPIVariables.variableNames
  public static let secretVariables = DCIAPIVariables.secretVariableNames

  public var variables: DCIAPIVariables

  public init(_ variables: DCIAPIVariables) { self.variables = variables }

  public init(from decoder: any Decoder) throws {
    variables = try DCIAPIVariables(from: decoder)
  }

  static let configDirectory: HostPath = "/etc/dci-api"
  static let environmentPath: HostPath = "/etc/dci-api/dci-api.env"
  static let template = "dci-api@.container"
  static let sidecar = "dci-api-auth-tracking"
  /// The spec's mode for the role's Quadlet units (podman_quadlet's own default, as
  /// Ansible's, is 0640 for a new file): they hold no secret, the env file does.
  static let unitMode: FileMode = 0o644
  /// The sidecar's Quadlet files, removed where it is turned off.
  static let sidecarFiles = ["container", "image"].map {
    PodmanQuadlet.systemDirectory.appending("\(sidecar).\($0)")
  }
  /// Registered by the removal of `sidecarFiles`: whether a daemon-reload is due.
  static let sidecarRemoval = "dci_api_auth_tracking_removal"

  public var dependencies: [RoleInclusion] {
    let name = HAProxyVariables.name(of:)
    return [
      RoleInclusion(
        HAProxy.self,
        parameters: [
          name(\.configDirectory): .string(variables.haproxyConfigDirectory.rawValue),
          name(\.network): .string(variables.containerNetwork),
          name(\.defaultBackend): .string(DCIAPIVariables.backendName),
          name(\.image): .string(variables.haproxyImage),
          name(\.mainConfig): .string(variables.haproxyMainConfig.rawValue),
        ])
    ]
  }

  public var steps: [Step] {
    let v = variables
    let restarts: [HandlerID] =
      v.authTrackingEnabled ? [.restartAPI, .restartAuthTracking] : [.restartAPI]
    Step("Create the configuration directory") {
      File(path: Self.configDirectory, state: .directory, mode: "0755")
    }
    // Shown in diffs (a changed `api_log_level` is one line), its secrets masked by name:
    // the old file's values are unknown to the run's masker.
    Step("Render the environment file", notify: restarts) {
      Template(
        destination: Self.environmentPath, contents: v.environment.text, mode: "0600",
        diffMask: .valuesExcept(v.environment.publicNames))
    }
    Step("Pull the API image") { PodmanImage(name: v.containerImage) }
    for (target, secret) in v.settingSecrets {
      Step("Store \(target) as a Podman secret", notify: restarts) { secret }
    }
    Step("Store the SSO public key as a Podman secret", notify: .restartAPI) {
      v.ssoPublicKeySecret
    }
    Step("Declare the API container template", notify: .restartAPI) {
      PodmanQuadlet(
        name: "dci-api@", .container(try v.apiContainer),
        unit: SystemdUnitSection {
          $0.description = "DCI API instance %i"
        },
        service: SystemdServiceSection {
          $0.restart = "always"
          $0.timeoutStartSec = String(v.startTimeout)
        },
        install: SystemdInstallSection {
          $0.wantedBy = ["multi-user.target"]
        }, mode: Self.unitMode)
    }
    Step("Write the HAProxy backend", notify: .reloadHAProxy) {
      Template(
        destination: v.backendPath, contents: v.backendText, mode: "0644",
        validate: v.backendValidation)
    }
    // Out of HAProxy first: requests in flight finish, no new one reaches them.
    Step("Stop the API instances beyond the scale") {
      SystemdInstances(template: "dci-api@", keep: v.containerScale, drain: v.instancesRotation)
    }
    Step("Scale the API instances to \(v.containerScale)") {
      PodmanQuadletInstances(template: Self.template, count: v.containerScale)
    }
    if v.authTrackingEnabled {
      Step("Declare the auth tracking image", notify: .restartAuthTracking) {
        PodmanQuadlet(
          name: Self.sidecar, .image(QuadletImage(image: v.sidecarImage)), mode: Self.unitMode)
      }
      Step("Declare the auth tracking container", notify: .restartAuthTracking) {
        PodmanQuadlet(
          name: Self.sidecar, .container(v.sidecarContainer),
          unit: SystemdUnitSection {
            $0.description = "DCI API auth tracking"
          },
          service: SystemdServiceSection {
            $0.restart = "always"
          },
          install: SystemdInstallSection {
            $0.wantedBy = ["multi-user.target"]
          }, mode: Self.unitMode)
      }
    } else {
      // Turned off here (or never on): a sidecar an earlier run started must not keep
      // running. On a host that never had it, none of these steps changes anything.
      Step("Stop the auth tracking sidecar if it runs") { RetiredUnit("\(Self.sidecar).service") }
      Step(
        "Remove the auth tracking Quadlet files",
        loop: Self.sidecarFiles.map { .string($0.rawValue) }
      ) { file in
        File(path: HostPath(file.stringValue ?? ""), state: .absent)
      }.registered(as: Self.sidecarRemoval)
      Step("Reload systemd without the auth tracking units") { Systemd(daemonReload: true) }
        .when(
          Condition("\(Self.sidecarRemoval) is changed") { scope in
            scope.registered(Self.sidecarRemoval)?.objectValue?["changed"] == .bool(true)
          })
    }
    if v.containerScale > 0 {
      Step("Start the API instances") {
        Systemd(names: v.instanceUnits, state: .started, daemonReload: true)
      }
    }
    if v.authTrackingEnabled {
      Step("Start the auth tracking sidecar") {
        Systemd(name: "\(Self.sidecar).service", state: .started, daemonReload: true)
      }
    }
  }

  public var handlers: [Handler] {
    let v = variables
    // Decoding refused a command that does not split; one set in Swift fails the handler,
    // and with it the restart, rather than skipping the backup.
    if (try? v.backupArguments)?.isEmpty != true {
      Handler(.backupBeforeRestart, listen: .restartAPI) { CommandModule(try v.backupArguments) }
    }
    // One batch at a time, each out of HAProxy until healthy again: the API never goes down
    // as a whole, and a batch that cannot become healthy stops the roll.
    Handler(.restartAPI) {
      RollingRestart(
        units: v.instanceUnits, batch: v.restartBatchSize, haproxy: v.instancesRotation)
    }
    if v.authTrackingEnabled {
      Handler(.restartAuthTracking) {
        Systemd(name: "\(Self.sidecar).service", state: .restarted, daemonReload: true)
      }
    }
  }

  /// The sidecar belongs on one host only; more is allowed, with a warning naming them.
  public static func check(_ instances: [(host: String, role: DCIAPI)]) -> [Diagnostic] {
    let enabled = instances.filter { $0.role.variables.authTrackingEnabled }.map(\.host)
    guard enabled.count > 1 else { return [] }
    return [
      Diagnostic(
        .warning, at: nil,
        "dci_api_auth_tracking_enabled is true on \(enabled.count) hosts ("
          + enabled.joined(separator: ", ")
          + "); the auth tracking sidecar should run on one host only")
    ]
  }
}
