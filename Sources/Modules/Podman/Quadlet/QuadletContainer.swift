import Engine

/// The `[Container]` section of a `.container` unit: a container run as a systemd service.
/// Typed properties cover what the roles use; any other podman 5.4 key goes in `extra`
/// (checked against `supportedKeys`). Values follow `QuadletValue`: command arguments are
/// literal, other values may use systemd specifiers (`containerName: "dci-api-%i"`).
public struct QuadletContainer: Sendable, Hashable, Decodable {
  /// `Image=`: a registry reference or an `.image` unit (`dci-api.image`). Required.
  public var image: String
  public var containerName: String?
  /// `Network=`: podman network names or `.network` units.
  public var network: [String]
  public var networkAlias: [String]
  public var environmentFile: [String]
  public var environment: [String: String]
  public var exec: QuadletCommand?
  public var entrypoint: String?
  /// `PublishPort=` as podman writes it: `8080:80`, `127.0.0.1:8080:80/tcp`.
  public var publishPort: [String]
  /// `Volume=` as podman writes it: `/srv/data:/data:Z`, `data.volume:/data`.
  public var volume: [String]
  public var healthCmd: QuadletHealthCommand?
  public var healthInterval: String?
  public var healthStartPeriod: String?
  public var healthTimeout: String?
  public var healthRetries: Int?
  /// `RunInit=`: run an init (catatonit) as PID 1 that forwards signals and reaps zombies.
  public var runInit: Bool?
  public var label: [String: String]
  /// `PodmanArgs=`: extra `podman run` arguments, literal like `exec`.
  public var podmanArgs: [String]
  public var user: String?
  public var workingDir: String?
  public var autoUpdate: String?
  /// Lines for any other `[Container]` key podman 5.4 knows.
  public var extra: [QuadletEntry]

  public init(
    image: String, containerName: String? = nil, network: [String] = [],
    networkAlias: [String] = [], environmentFile: [String] = [],
    environment: [String: String] = [:], exec: QuadletCommand? = nil, entrypoint: String? = nil,
    publishPort: [String] = [], volume: [String] = [], healthCmd: QuadletHealthCommand? = nil,
    healthInterval: String? = nil, healthStartPeriod: String? = nil,
    healthTimeout: String? = nil, healthRetries: Int? = nil, runInit: Bool? = nil,
    label: [String: String] = [:], podmanArgs: [String] = [], user: String? = nil,
    workingDir: String? = nil, autoUpdate: String? = nil, extra: [QuadletEntry] = []
  ) {
    self.image = image
    self.containerName = containerName
    self.network = network
    self.networkAlias = networkAlias
    self.environmentFile = environmentFile
    self.environment = environment
    self.exec = exec
    self.entrypoint = entrypoint
    self.publishPort = publishPort
    self.volume = volume
    self.healthCmd = healthCmd
    self.healthInterval = healthInterval
    self.healthStartPeriod = healthStartPeriod
    self.healthTimeout = healthTimeout
    self.healthRetries = healthRetries
    self.runInit = runInit
    self.label = label
    self.podmanArgs = podmanArgs
    self.user = user
    self.workingDir = workingDir
    self.autoUpdate = autoUpdate
    self.extra = extra
  }

  /// JSON names; each writes the Quadlet key `QuadletKeyName` derives from it.
  enum CodingKeys: String, CodingKey, CaseIterable {
    case image, network, environment, exec, entrypoint, volume, label, user, extra
    case containerName = "container_name"
    case networkAlias = "network_alias"
    case environmentFile = "environment_file"
    case publishPort = "publish_port"
    case healthCmd = "health_cmd"
    case healthInterval = "health_interval"
    case healthStartPeriod = "health_start_period"
    case healthTimeout = "health_timeout"
    case healthRetries = "health_retries"
    case runInit = "run_init"
    case podmanArgs = "podman_args"
    case workingDir = "working_dir"
    case autoUpdate = "auto_update"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      image: args.required(.image) ?? "", containerName: args.optional(.containerName),
      network: args.list(.network), networkAlias: args.list(.networkAlias),
      environmentFile: args.list(.environmentFile),
      environment: args.optional(.environment, default: [:]), exec: args.optional(.exec),
      entrypoint: args.optional(.entrypoint), publishPort: args.list(.publishPort),
      volume: args.list(.volume), healthCmd: args.optional(.healthCmd),
      healthInterval: args.optional(.healthInterval),
      healthStartPeriod: args.optional(.healthStartPeriod),
      healthTimeout: args.optional(.healthTimeout), healthRetries: args.optional(.healthRetries),
      runInit: args.optional(.runInit), label: args.optional(.label, default: [:]),
      podmanArgs: args.optional(.podmanArgs, default: []), user: args.optional(.user),
      workingDir: args.optional(.workingDir), autoUpdate: args.optional(.autoUpdate),
      extra: args.optional(.extra, default: []))
    try args.finish()
  }

  /// The `[Container]` lines, in the order of the properties above, then `extra`.
  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Container")
    writer.text("Image", image, allowsBlanks: false)
    writer.text("ContainerName", containerName, allowsBlanks: false)
    writer.lines("Network", network, allowsBlanks: false)
    writer.lines("NetworkAlias", networkAlias, allowsBlanks: false)
    for file in environmentFile { writer.words("EnvironmentFile", [file], literal: false) }
    writer.assignments("Environment", environment)
    exec.map { $0.write("Exec", into: &writer) }
    writer.text("Entrypoint", entrypoint)
    writer.lines("PublishPort", publishPort, allowsBlanks: false)
    writer.lines("Volume", volume)
    healthCmd.map { $0.write("HealthCmd", into: &writer) }
    writer.text("HealthInterval", healthInterval, allowsBlanks: false)
    writer.text("HealthStartPeriod", healthStartPeriod, allowsBlanks: false)
    writer.text("HealthTimeout", healthTimeout, allowsBlanks: false)
    writer.number("HealthRetries", healthRetries)
    writer.flag("RunInit", runInit)
    writer.assignments("Label", label)
    writer.words("PodmanArgs", podmanArgs, literal: true)
    writer.text("User", user, allowsBlanks: false)
    writer.text("WorkingDir", workingDir)
    writer.text("AutoUpdate", autoUpdate, allowsBlanks: false)
    writer.extra(extra, supported: Self.supportedKeys, typed: Self.typedKeys)
    return writer
  }

  /// Quadlet keys with a typed property, and that property's JSON name.
  public static let typedKeys = QuadletKeyName.typedKeys(CodingKeys.self)
}
