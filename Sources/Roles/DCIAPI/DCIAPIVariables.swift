public import Engine
import Modules

/// The `dci_api` role's variables: every variable of the original Ansible role, with its name
/// and default. Required ones have no default; a run without them fails before any change,
/// every missing or ill-typed one listed at once.
public struct DCIAPIVariables: Sendable, Hashable {
  /// Where the API's files live; `store_engine` picks the storage backend.
  public enum StoreEngine: String, Sendable, Hashable, Codable, CaseIterable { case s3, file }

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

  enum CodingKeys: String, CodingKey, CaseIterable {
    case containerImage = "dci_api_container_image"
    case authTrackingImage = "dci_api_auth_tracking_container_image"
    case containerNetwork = "dci_api_container_network"
    case containerScale = "dci_api_container_scale"
    case restartBatchSize = "dci_api_restart_batch_size"
    case startTimeout = "dci_api_start_timeout"
    case authTrackingEnabled = "dci_api_auth_tracking_enabled"
    case redisURL = "dci_redis_url"
    case gunicornWorkers = "gunicorn_nb_workers"
    case gunicornWorkerConnections = "gunicorn_worker_connections"
    case gunicornMaxRequests = "gunicorn_max_requests"
    case gunicornMaxRequestsJitter = "gunicorn_max_requests_jitter"
    case gunicornTimeout = "gunicorn_timeout"
    case gunicornGracefulTimeout = "gunicorn_graceful_timeout"
    case gunicornExtraArguments = "gunicorn_extra_cmd_args"
    case databaseHost = "dbhost"
    case databaseUser = "dbuser"
    case databasePassword = "dbpassword"
    case databaseName = "dbname"
    case sqlalchemyPoolSize = "sqlalchemy_pool_size"
    case sqlalchemyMaxOverflow = "sqlalchemy_max_overflow"
    case storeEngine = "store_engine"
    case storeFilesContainer = "store_files_container"
    case storeComponentsContainer = "store_components_container"
    case s3AccessKeyID = "store_s3_aws_access_key_id"
    case s3SecretAccessKey = "store_s3_aws_secret_access_key"
    case s3Region = "store_s3_aws_region"
    case s3EndpointURL = "store_s3_endpoint_url"
    case s3SignatureVersion = "store_s3_signature_version"
    case apiHost = "apihost"
    case apiDebug = "api_debug"
    case apiLogLevel = "api_log_level"
    case jsonifyPrettyprintRegular = "jsonify_prettyprint_regular"
    case zmqConnection = "zmq_conn"
    case maxContentLengthMB = "max_content_length_mb"
    case analyticsURL = "analytics_url"
    case amqpBrokerURL = "amqp_broker_url"
    case certificationURL = "certification_url"
    case ssoPublicKey = "sso_public_key"
    case ssoAudiences = "sso_audiences"
    case ssoReadOnlyGroup = "sso_read_only_group"
    case ssoURL = "sso_url"
    case ssoRealm = "sso_realm"
    case rhdlAPIURL = "rhdl_api_url"
    case rhdlAccessKey = "rhdl_service_account_access_key"
    case rhdlSecretKey = "rhdl_service_account_secret_key"
    case haproxyConfigDirectory = "haproxy_config_dir"
    case haproxyImage = "haproxy_container_image"
    case haproxyMainConfig = "haproxy_main_config"
    case backupCommand = "dci_api_backup_command"
  }

  /// Secrets: never shown in output, diffs, JSON or errors.
  /// The spec's four secrets, and the two access key ids that go with a secret key: the
  /// seed's playbook takes both halves of each pair from the vault, so an operator expects
  /// neither half in output.
  static let secretKeys: [CodingKeys] = [
    .databasePassword, .s3SecretAccessKey, .rhdlSecretKey, .ssoPublicKey, .s3AccessKeyID,
    .rhdlAccessKey,
  ]
}

extension DCIAPIVariables: Decodable {
  public init(from decoder: any Decoder) throws {
    let vars = try ArgumentReader(decoder, keys: CodingKeys.self)
    containerImage = vars.optional(.containerImage, default: containerImage)
    authTrackingImage = vars.optional(.authTrackingImage)
    containerNetwork = vars.optional(.containerNetwork, default: containerNetwork)
    containerScale = vars.optional(.containerScale, default: containerScale)
    vars.check(
      containerScale >= 0 && containerScale <= 64, .containerScale,
      "expected an integer in 0...64, found \(containerScale)")
    restartBatchSize = vars.optional(.restartBatchSize, default: restartBatchSize)
    vars.check(
      restartBatchSize >= 1 && restartBatchSize <= 64, .restartBatchSize,
      "expected an integer in 1...64, found \(restartBatchSize)")
    startTimeout = Self.positive(vars, .startTimeout, default: startTimeout)
    authTrackingEnabled = vars.optional(.authTrackingEnabled, default: authTrackingEnabled)
    redisURL = vars.optional(.redisURL, default: redisURL)
    gunicornWorkers = Self.positive(vars, .gunicornWorkers, default: gunicornWorkers)
    gunicornWorkerConnections = Self.positive(
      vars, .gunicornWorkerConnections, default: gunicornWorkerConnections)
    gunicornMaxRequests = Self.natural(vars, .gunicornMaxRequests, default: gunicornMaxRequests)
    gunicornMaxRequestsJitter = Self.natural(
      vars, .gunicornMaxRequestsJitter, default: gunicornMaxRequestsJitter)
    gunicornTimeout = Self.natural(vars, .gunicornTimeout, default: gunicornTimeout)
    gunicornGracefulTimeout = Self.natural(
      vars, .gunicornGracefulTimeout, default: gunicornGracefulTimeout)
    gunicornExtraArguments = vars.optional(.gunicornExtraArguments, default: gunicornExtraArguments)
    databaseHost = vars.required(.databaseHost) ?? ""
    databaseUser = vars.required(.databaseUser) ?? ""
    databasePassword = vars.required(.databasePassword) ?? ""
    databaseName = vars.required(.databaseName) ?? ""
    sqlalchemyPoolSize = vars.required(.sqlalchemyPoolSize) ?? 0
    sqlalchemyMaxOverflow = vars.required(.sqlalchemyMaxOverflow) ?? 0
    if let engine: String = vars.required(.storeEngine) {
      if let parsed = StoreEngine(rawValue: engine) {
        storeEngine = parsed
      } else {
        vars.record(.storeEngine, "expected \"s3\" or \"file\", found '\(engine)'")
      }
    }
    storeFilesContainer = vars.required(.storeFilesContainer) ?? ""
    storeComponentsContainer = vars.required(.storeComponentsContainer) ?? ""
    if storeEngine == .s3 {
      s3AccessKeyID = vars.required(.s3AccessKeyID)
      s3SecretAccessKey = vars.required(.s3SecretAccessKey)
      s3Region = vars.required(.s3Region)
    } else {
      s3AccessKeyID = vars.optional(.s3AccessKeyID)
      s3SecretAccessKey = vars.optional(.s3SecretAccessKey)
      s3Region = vars.optional(.s3Region)
    }
    s3EndpointURL = vars.optional(.s3EndpointURL)
    s3SignatureVersion = vars.optional(.s3SignatureVersion)
    apiHost = vars.required(.apiHost) ?? ""
    apiDebug = vars.optional(.apiDebug)
    apiLogLevel = vars.optional(.apiLogLevel)
    jsonifyPrettyprintRegular = vars.optional(.jsonifyPrettyprintRegular)
    zmqConnection = vars.required(.zmqConnection) ?? ""
    maxContentLengthMB = vars.required(.maxContentLengthMB) ?? 0
    analyticsURL = vars.required(.analyticsURL) ?? ""
    amqpBrokerURL = vars.required(.amqpBrokerURL) ?? ""
    certificationURL = vars.required(.certificationURL) ?? ""
    ssoPublicKey = vars.required(.ssoPublicKey) ?? ""
    ssoAudiences = vars.required(.ssoAudiences) ?? []
    ssoReadOnlyGroup = vars.required(.ssoReadOnlyGroup) ?? ""
    ssoURL = vars.required(.ssoURL) ?? ""
    ssoRealm = vars.required(.ssoRealm) ?? ""
    rhdlAPIURL = vars.optional(.rhdlAPIURL, default: rhdlAPIURL)
    rhdlAccessKey = vars.required(.rhdlAccessKey) ?? ""
    rhdlSecretKey = vars.required(.rhdlSecretKey) ?? ""
    haproxyConfigDirectory = vars.required(.haproxyConfigDirectory) ?? haproxyConfigDirectory
    haproxyImage = vars.optional(.haproxyImage, default: haproxyImage)
    haproxyMainConfig = vars.optional(.haproxyMainConfig, default: haproxyMainConfig)
    checkHAProxyPaths(vars)
    backupCommand = vars.optional(.backupCommand, default: backupCommand)
    do { _ = try backupArguments } catch { vars.record(.backupCommand, error.description) }
    for problem in ssoPublicKeySecret.validate() where !ssoPublicKey.isEmpty {
      vars.record(.ssoPublicKey, problem)
    }
    for (key, value) in [
      (CodingKeys.databasePassword, databasePassword), (.rhdlAccessKey, rhdlAccessKey),
      (.rhdlSecretKey, rhdlSecretKey),
    ] where value.isEmpty && vars.has(key) {
      vars.record(key, "expected a value, found an empty string (a Podman secret cannot be empty)")
    }
    for (key, value) in environmentValuesToCheck {
      if let problem = EnvironmentFile.problem(with: value) { vars.record(key, problem) }
    }
    for (key, value, rule) in unitFileValuesToCheck {
      if let problem = rule.problem(with: value) { vars.record(key, problem) }
    }
    try vars.finish()
  }

  /// The `haproxy` role's paths, which this role writes into and validates with: the same
  /// rules as there, and none may overlap this role's own config directory (its secrets
  /// would be mounted into the HAProxy container).
  private func checkHAProxyPaths(_ vars: ArgumentReader<CodingKeys>) {
    for (key, path, problem) in [
      (
        CodingKeys.haproxyConfigDirectory, haproxyConfigDirectory,
        ServicePaths.directoryProblem(haproxyConfigDirectory)
      ),
      (
        .haproxyMainConfig, haproxyMainConfig.parent,
        ServicePaths.fileProblem(haproxyMainConfig, fileExtension: "cfg")
      ),
    ] {
      if let problem {
        vars.record(key, problem)
      } else if path.isWithin(DCIAPI.configDirectory) || DCIAPI.configDirectory.isWithin(path) {
        vars.record(
          key, "'\(path)' overlaps \(DCIAPI.configDirectory), where the API's secrets are")
      }
    }
  }

  private static func positive(
    _ vars: ArgumentReader<CodingKeys>, _ key: CodingKeys, default value: Int
  ) -> Int {
    let number = vars.optional(key, default: value)
    vars.check(number >= 1, key, "expected a positive integer, found \(number)")
    return number
  }

  private static func natural(
    _ vars: ArgumentReader<CodingKeys>, _ key: CodingKeys, default value: Int
  ) -> Int {
    let number = vars.optional(key, default: value)
    vars.check(number >= 0, key, "expected an integer ≥ 0, found \(number)")
    return number
  }
}

extension DCIAPIVariables {
  /// Every string that goes into the environment file, by the variable it comes from, so
  /// that a value the file cannot carry is reported against its variable before any change.
  var environmentValuesToCheck: [(CodingKeys, String)] {
    let optional: [(CodingKeys, String?)] = [
      (.apiLogLevel, apiLogLevel), (.s3AccessKeyID, s3AccessKeyID),
      (.s3SecretAccessKey, s3SecretAccessKey), (.s3Region, s3Region),
      (.s3EndpointURL, s3EndpointURL), (.s3SignatureVersion, s3SignatureVersion),
    ]
    let required: [(CodingKeys, String)] = [
      (.apiHost, apiHost), (.databaseHost, databaseHost), (.databaseUser, databaseUser),
      (.databasePassword, databasePassword), (.databaseName, databaseName),
      (.storeFilesContainer, storeFilesContainer),
      (.storeComponentsContainer, storeComponentsContainer), (.zmqConnection, zmqConnection),
      (.analyticsURL, analyticsURL), (.amqpBrokerURL, amqpBrokerURL),
      (.certificationURL, certificationURL),
      (.ssoReadOnlyGroup, ssoReadOnlyGroup), (.ssoURL, ssoURL), (.ssoRealm, ssoRealm),
      (.rhdlAPIURL, rhdlAPIURL), (.rhdlAccessKey, rhdlAccessKey), (.rhdlSecretKey, rhdlSecretKey),
      (.redisURL, redisURL), (.ssoAudiences, ssoAudiences.joined(separator: ",")),
    ]
    return required + optional.compactMap { key, value in value.map { (key, $0) } }
  }

  /// The environment of every container of the role, as the DCI server reads it
  /// (`dci/settings.py`): optional values only when set, S3 values only for `s3`. The values
  /// of `secretKeys` are marked secret, so diffs of the file mask them.
  var environment: EnvironmentFile {
    var file = EnvironmentFile()
    file.set("API_HOST", apiHost)
    file.set("API_DEBUG", apiDebug.map { $0 ? "True" : "False" })
    file.set("LOG_LEVEL", apiLogLevel)
    file.set("JSONIFY_PRETTYPRINT_REGULAR", jsonifyPrettyprintRegular.map { $0 ? "True" : "False" })
    file.set("DB_HOST", databaseHost)
    file.set("DB_USER", databaseUser)
    file.set("DB_PASSWORD", databasePassword, secret: true)
    file.set("DB_NAME", databaseName)
    file.set("SQLALCHEMY_POOL_SIZE", String(sqlalchemyPoolSize))
    file.set("SQLALCHEMY_MAX_OVERFLOW", String(sqlalchemyMaxOverflow))
    file.set("STORE_ENGINE", storeEngine.rawValue)
    file.set("STORE_FILES_CONTAINER", storeFilesContainer)
    file.set("STORE_COMPONENTS_CONTAINER", storeComponentsContainer)
    if storeEngine == .s3 {
      file.set("AWS_ACCESS_KEY_ID", s3AccessKeyID, secret: true)
      file.set("AWS_SECRET_ACCESS_KEY", s3SecretAccessKey, secret: true)
      file.set("AWS_REGION", s3Region)
      file.set("S3_ENDPOINT_URL", s3EndpointURL)
      file.set("AWS_SIGNATURE_VERSION", s3SignatureVersion)
    }
    file.set("ZMQ_CONN", zmqConnection)
    file.set("MAX_CONTENT_LENGTH_MB", String(maxContentLengthMB))
    file.set("ANALYTICS_URL", analyticsURL)
    file.set("AMQP_BROKER_URL", amqpBrokerURL)
    file.set("SSO_AUDIENCES", ssoAudiences.joined(separator: ","))
    file.set("SSO_READ_ONLY_GROUP", ssoReadOnlyGroup)
    file.set("SSO_URL", ssoURL)
    file.set("SSO_REALM", ssoRealm)
    // The server reads CERTIFICATION_URL since March 2025 and ignores the misspelled name
    // its older images read (falling back to Red Hat's stage endpoint): write both.
    file.set("CERTIFICATION_URL", certificationURL)
    file.set("SSO_CERTTIFICATION_URL", certificationURL)
    file.set("RHDL_API_URL", rhdlAPIURL)
    file.set("RHDL_SERVICE_ACCOUNT_ACCESS_KEY", rhdlAccessKey, secret: true)
    file.set("RHDL_SERVICE_ACCOUNT_SECRET_KEY", rhdlSecretKey, secret: true)
    file.set("REDIS_URL", redisURL)
    return file
  }

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

  /// The `gunicorn_*` settings under the names the image's `/etc/gunicorn.conf.py` reads.
  var gunicornEnvironment: [String: String] {
    [
      "DCI_NB_WORKERS": String(gunicornWorkers),
      "DCI_GUNICORN_WORKER_CONNECTIONS": String(gunicornWorkerConnections),
      "DCI_GUNICORN_MAX_REQUESTS": String(gunicornMaxRequests),
      "DCI_GUNICORN_MAX_REQUESTS_JITTER": String(gunicornMaxRequestsJitter),
      "DCI_GUNICORN_TIMEOUT": String(gunicornTimeout),
      "DCI_GUNICORN_GRACEFUL_TIMEOUT": String(gunicornGracefulTimeout),
    ]
  }

  /// `dci_api_backup_command` as argv, split as a shell would (no shell runs it); empty
  /// means no backup.
  var backupArguments: [String] {
    get throws(ShellWords.Problem) { try ShellWords.split(backupCommand) }
  }
}
