import Engine

/// The containers' environment, as the DCI server reads it (`dci/settings.py`) and its
/// image's `/etc/gunicorn.conf.py` does.
extension DCIAPIVariables {
  /// The environment file's settings, in the file's order: optional values only when set,
  /// S3 values only for `s3`.
  static var environmentSettings: [EnvironmentSetting] {
    [
      EnvironmentSetting("API_HOST", \.apiHost),
      EnvironmentSetting("API_DEBUG", \.apiDebug),
      EnvironmentSetting("LOG_LEVEL", \.apiLogLevel),
      EnvironmentSetting("JSONIFY_PRETTYPRINT_REGULAR", \.jsonifyPrettyprintRegular),
      EnvironmentSetting("DB_HOST", \.databaseHost),
      EnvironmentSetting("DB_USER", \.databaseUser),
      EnvironmentSetting("DB_PASSWORD", \.databasePassword),
      EnvironmentSetting("DB_NAME", \.databaseName),
      EnvironmentSetting("SQLALCHEMY_POOL_SIZE", \.sqlalchemyPoolSize),
      EnvironmentSetting("SQLALCHEMY_MAX_OVERFLOW", \.sqlalchemyMaxOverflow),
      EnvironmentSetting("STORE_ENGINE", \.storeEngine),
      EnvironmentSetting("STORE_FILES_CONTAINER", \.storeFilesContainer),
      EnvironmentSetting("STORE_COMPONENTS_CONTAINER", \.storeComponentsContainer),
      EnvironmentSetting("AWS_ACCESS_KEY_ID", \.s3AccessKeyID, when: \.usesS3),
      EnvironmentSetting("AWS_SECRET_ACCESS_KEY", \.s3SecretAccessKey, when: \.usesS3),
      EnvironmentSetting("AWS_REGION", \.s3Region, when: \.usesS3),
      EnvironmentSetting("S3_ENDPOINT_URL", \.s3EndpointURL, when: \.usesS3),
      EnvironmentSetting("AWS_SIGNATURE_VERSION", \.s3SignatureVersion, when: \.usesS3),
      EnvironmentSetting("ZMQ_CONN", \.zmqConnection),
      EnvironmentSetting("MAX_CONTENT_LENGTH_MB", \.maxContentLengthMB),
      EnvironmentSetting("ANALYTICS_URL", \.analyticsURL),
      EnvironmentSetting("AMQP_BROKER_URL", \.amqpBrokerURL),
      EnvironmentSetting("SSO_AUDIENCES", \.ssoAudiences),
      EnvironmentSetting("SSO_READ_ONLY_GROUP", \.ssoReadOnlyGroup),
      EnvironmentSetting("SSO_URL", \.ssoURL),
      EnvironmentSetting("SSO_REALM", \.ssoRealm),
      // The server reads CERTIFICATION_URL since March 2025 and ignores the misspelled name
      // its older images read (falling back to Red Hat's stage endpoint): write both.
      EnvironmentSetting("CERTIFICATION_URL", \.certificationURL),
      EnvironmentSetting("SSO_CERTTIFICATION_URL", \.certificationURL),
      EnvironmentSetting("RHDL_API_URL", \.rhdlAPIURL),
      EnvironmentSetting("RHDL_SERVICE_ACCOUNT_ACCESS_KEY", \.rhdlAccessKey),
      EnvironmentSetting("RHDL_SERVICE_ACCOUNT_SECRET_KEY", \.rhdlSecretKey),
      EnvironmentSetting("REDIS_URL", \.redisURL),
    ]
  }

  /// The `gunicorn_*` settings under the names the image's `/etc/gunicorn.conf.py` reads
  /// (the container's `Environment=`, not the file).
  static var gunicornSettings: [EnvironmentSetting] {
    [
      EnvironmentSetting("DCI_NB_WORKERS", \.gunicornWorkers),
      EnvironmentSetting("DCI_GUNICORN_WORKER_CONNECTIONS", \.gunicornWorkerConnections),
      EnvironmentSetting("DCI_GUNICORN_MAX_REQUESTS", \.gunicornMaxRequests),
      EnvironmentSetting("DCI_GUNICORN_MAX_REQUESTS_JITTER", \.gunicornMaxRequestsJitter),
      EnvironmentSetting("DCI_GUNICORN_TIMEOUT", \.gunicornTimeout),
      EnvironmentSetting("DCI_GUNICORN_GRACEFUL_TIMEOUT", \.gunicornGracefulTimeout),
    ]
  }

  /// The environment file of every container of the role. A setting whose variable is
  /// secret is marked secret: it reaches the containers as a Podman secret, and diffs of
  /// the file mask it.
  var environment: EnvironmentFile {
    let secrets = Set(Self.declarations.filter(\.isSecret).map(\.property))
    var file = EnvironmentFile()
    for setting in Self.environmentSettings where setting.isWritten(self) {
      file.set(setting.name, setting.text(self), secret: secrets.contains(setting.property))
    }
    return file
  }

  var gunicornEnvironment: [String: String] {
    Dictionary(
      uniqueKeysWithValues: Self.gunicornSettings.compactMap { setting in
        setting.text(self).map { (setting.name, $0) }
      })
  }
}
