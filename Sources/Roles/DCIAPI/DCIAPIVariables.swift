public import Engine
import Modules

/// The `dci_api` role's variables: every variable of the original Ansible role, with its name
/// and default. Required ones have no default; a run without them fails before any change,
/// every missing or ill-typed one listed at once.
public struct DCIAPIVariables: Sendable, Hashable {
  /// Where the API's files live; `store_engine` picks the storage backend.
  public enum StoreEngine: String, Sendable, Hashable, Codable, CaseIterable {
    case s3, file

    public init(from decoder: any Decoder) throws {
      let name = try decoder.singleValueContainer().decode(String.self)
      guard let engine = Self(rawValue: name) else {
        throw DecodingError.dataCorrupted(
          .init(
            codingPath: decoder.codingPath,
            debugDescription: "expected \"s3\" or \"file\", found '\(name)'"))
      }
      self = engine
    }
  }

  // Containers
  public var containerImage = "quay.io/distributedci/dci-control-server:latest"
  /// The sidecar's image (the same server image runs `bin/dci-sync-redis-auth`).
  public var authTrackingImage: String?
  public var containerNetwork = "quadlet.network"
  public var containerScale = 4
  /// Instances restarted at once by `Restart dci-api`, each batch out of HAProxy until healthy.
  public var restartBatchSize = 1
  /// Seconds an instance may take to become healthy (`TimeoutStartSec=`, systemd's default):
  /// past it the start fails, and a roll stops at that batch.
  public var startTimeout = 90
  // Auth tracking
  public var authTrackingEnabled = true
  public var redisURL = "redis://localhost:6379/0"
  // Gunicorn
  public var gunicornWorkers = 1
  public var gunicornWorkerConnections = 100
  public var gunicornMaxRequests = 0
  public var gunicornMaxRequestsJitter = 0
  public var gunicornTimeout = 30
  public var gunicornGracefulTimeout = 90
  public var gunicornExtraArguments = ""
  // Database
  public var databaseHost = ""
  public var databaseUser = ""
  public var databasePassword = ""
  public var databaseName = ""
  public var sqlalchemyPoolSize = 0
  public var sqlalchemyMaxOverflow = 0
  // Storage
  public var storeEngine = StoreEngine.file
  public var storeFilesContainer = ""
  public var storeComponentsContainer = ""
  public var s3AccessKeyID: String?
  public var s3SecretAccessKey: String?
  public var s3Region: String?
  public var s3EndpointURL: String?
  public var s3SignatureVersion: String?
  // API
  public var apiHost = ""
  public var apiDebug: Bool?
  public var apiLogLevel: String?
  public var jsonifyPrettyprintRegular: Bool?
  // Integrations
  public var zmqConnection = ""
  public var maxContentLengthMB = 0
  public var analyticsURL = ""
  public var amqpBrokerURL = ""
  public var certificationURL = ""
  // SSO
  public var ssoPublicKey = ""
  public var ssoAudiences: [String] = []
  public var ssoReadOnlyGroup = ""
  public var ssoURL = ""
  public var ssoRealm = ""
  // RHDL
  public var rhdlAPIURL = "https://api.rhdl.distributed-ci.io/api/v1"
  public var rhdlAccessKey = ""
  public var rhdlSecretKey = ""
  // HAProxy and the backup before restarts
  public var haproxyConfigDirectory: HostPath = "/etc/haproxy/conf.d"
  /// Shared with the `haproxy` role (passed on to it): the image that also validates the
  /// backend, and the main config the backend is validated with.
  public var haproxyImage = HAProxyVariables().image
  public var haproxyMainConfig = HAProxyVariables().mainConfig
  /// Run before every API restart (listens to `Restart dci-api`); empty: no backup.
  public var backupCommand = "yolo backup --tag current"

  public init() {}

  /// Where the S3 variables are required and written.
  var usesS3: Bool { storeEngine == .s3 }
}

extension DCIAPIVariables: DeclaredVariables {
  /// Every variable, once. Secrets: the spec's four, and the two access key ids that go
  /// with a secret key: the seed's playbook takes both halves of each pair from the vault, so
  /// an operator expects neither half in output. `store_engine` comes before the S3
  /// variables it makes required.
  public static var declarations: [RoleVariable<Self>] {
    [
      .optional("dci_api_container_image", \.containerImage, rules: [.imageReference]),
      .optional(
        "dci_api_auth_tracking_container_image", \.authTrackingImage, rules: [.imageReference]),
      .optional("dci_api_container_network", \.containerNetwork, rules: [.name]),
      .optional("dci_api_container_scale", \.containerScale, rules: [.within(0...64)]),
      .optional("dci_api_restart_batch_size", \.restartBatchSize, rules: [.within(1...64)]),
      .optional("dci_api_start_timeout", \.startTimeout, rules: [.positive]),
      .optional("dci_api_auth_tracking_enabled", \.authTrackingEnabled),
      .optional("dci_redis_url", \.redisURL),
      .optional("gunicorn_nb_workers", \.gunicornWorkers, rules: [.positive]),
      .optional("gunicorn_worker_connections", \.gunicornWorkerConnections, rules: [.positive]),
      .optional("gunicorn_max_requests", \.gunicornMaxRequests, rules: [.natural]),
      .optional("gunicorn_max_requests_jitter", \.gunicornMaxRequestsJitter, rules: [.natural]),
      .optional("gunicorn_timeout", \.gunicornTimeout, rules: [.natural]),
      .optional("gunicorn_graceful_timeout", \.gunicornGracefulTimeout, rules: [.natural]),
      .optional("gunicorn_extra_cmd_args", \.gunicornExtraArguments, rules: [.commandArguments]),
      .required("dbhost", \.databaseHost),
      .required("dbuser", \.databaseUser),
      .required("dbpassword", \.databasePassword, secret: true, rules: [.podmanSecretText]),
      .required("dbname", \.databaseName),
      .required("sqlalchemy_pool_size", \.sqlalchemyPoolSize),
      .required("sqlalchemy_max_overflow", \.sqlalchemyMaxOverflow),
      .required("store_engine", \.storeEngine),
      .required("store_files_container", \.storeFilesContainer),
      .required("store_components_container", \.storeComponentsContainer),
      .required("store_s3_aws_access_key_id", \.s3AccessKeyID, when: \.usesS3, secret: true),
      .required(
        "store_s3_aws_secret_access_key", \.s3SecretAccessKey, when: \.usesS3, secret: true),
      .required("store_s3_aws_region", \.s3Region, when: \.usesS3),
      .optional("store_s3_endpoint_url", \.s3EndpointURL),
      .optional("store_s3_signature_version", \.s3SignatureVersion),
      .required("apihost", \.apiHost),
      .optional("api_debug", \.apiDebug),
      .optional("api_log_level", \.apiLogLevel),
      .optional("jsonify_prettyprint_regular", \.jsonifyPrettyprintRegular),
      .required("zmq_conn", \.zmqConnection),
      .required("max_content_length_mb", \.maxContentLengthMB),
      .required("analytics_url", \.analyticsURL),
      .required("amqp_broker_url", \.amqpBrokerURL),
      .required("certification_url", \.certificationURL),
      .required("sso_public_key", \.ssoPublicKey, secret: true, rules: [.ssoPublicKey]),
      .required("sso_audiences", \.ssoAudiences),
      .required("sso_read_only_group", \.ssoReadOnlyGroup),
      .required("sso_url", \.ssoURL),
      .required("sso_realm", \.ssoRealm),
      .optional("rhdl_api_url", \.rhdlAPIURL),
      .required(
        "rhdl_service_account_access_key", \.rhdlAccessKey, secret: true,
        rules: [.podmanSecretText]),
      .required(
        "rhdl_service_account_secret_key", \.rhdlSecretKey, secret: true,
        rules: [.podmanSecretText]),
      .required(
        "haproxy_config_dir", \.haproxyConfigDirectory,
        rules: [.haproxyPath(\.self, ServicePaths.directoryProblem)]),
      .optional("haproxy_container_image", \.haproxyImage, rules: [.imageReference]),
      .optional(
        "haproxy_main_config", \.haproxyMainConfig,
        rules: [.haproxyPath(\.parent) { ServicePaths.fileProblem($0, fileExtension: "cfg") }]),
      .optional("dci_api_backup_command", \.backupCommand, rules: [.shellWords]),
    ]
  }

  /// Every value the environment file holds, checked against the variable it comes from.
  public var problems: [VariableProblem<Self>] {
    var checked: Set<PartialKeyPath<Self>> = []
    return Self.environmentSettings.compactMap { setting in
      guard checked.insert(setting.property).inserted,
        let problem = setting.text(self).flatMap(EnvironmentFile.problem(with:))
      else { return nil }
      return VariableProblem(setting.property, problem)
    }
  }
}

extension DCIAPIVariables {
  /// The image's own command (its Dockerfile's `CMD`), which keeps the image's
  /// `/etc/gunicorn.conf.py` (gevent workers, the access log and its format), with
  /// `gunicorn_extra_cmd_args` before the application: flags after `-c` override the file.
  /// Split into words as a shell would, so it throws only for a value set in Swift that
  /// decoding would have refused.
  var gunicornCommand: [String] {
    get throws(ShellWords.Problem) {
      ["/usr/local/bin/gunicorn", "-c", "/etc/gunicorn.conf.py", "-b", "0.0.0.0:5000"]
        + (try ShellWords.split(gunicornExtraArguments)) + ["dci.app:create_app()"]
    }
  }

  /// `dci_api_backup_command` as argv, split as a shell would (no shell runs it); empty
  /// means no backup.
  var backupArguments: [String] {
    get throws(ShellWords.Problem) { try ShellWords.split(backupCommand) }
  }
}
