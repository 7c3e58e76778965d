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
  public var network: [String] = []
  public var networkAlias: [String] = []
  public var environmentFile: [String] = []
  public var environment: [String: String] = [:]
  public var exec: QuadletCommand?
  public var entrypoint: String?
  /// `PublishPort=` as podman writes it: `8080:80`, `127.0.0.1:8080:80/tcp`.
  public var publishPort: [String] = []
  /// `Volume=` as podman writes it: `/srv/data:/data:Z`, `data.volume:/data`.
  public var volume: [String] = []
  public var healthCmd: QuadletHealthCommand?
  public var healthInterval: String?
  public var healthStartPeriod: String?
  public var healthTimeout: String?
  public var healthRetries: Int?
  /// `RunInit=`: run an init (catatonit) as PID 1 that forwards signals and reaps zombies.
  public var runInit: Bool?
  public var label: [String: String] = [:]
  /// `PodmanArgs=`: extra `podman run` arguments, literal like `exec`.
  public var podmanArgs: [String] = []
  public var user: String?
  public var workingDir: String?
  public var autoUpdate: String?
  /// Lines for any other `[Container]` key podman 5.4 knows.
  public var extra: [QuadletEntry] = []

  /// A section with its required `image`; `configure` sets the rest
  /// (`QuadletContainer(image: "x") { $0.network = ["web.network"] }`).
  public init(image: String, _ configure: (inout Self) throws -> Void) rethrows {
    self.image = image
    try configure(&self)
  }

  public init(image: String) { self.image = image }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }

  /// Quadlet keys with a typed property, and that property's JSON name.
  public static var typedKeys: [String: String] { fieldKeys }
}

extension QuadletContainer: QuadletSection {
  static let sectionName = "Container"

  init() { self.init(image: "") }

  /// The `[Container]` keys, in the order they are written, then `extra`.
  static var fields: [QuadletField<Self>] {
    [
      .requiredText("image", \.image, blanks: false),
      .text("container_name", \.containerName, blanks: false),
      .lines("network", \.network, blanks: false),
      .lines("network_alias", \.networkAlias, blanks: false),
      .wordLines("environment_file", \.environmentFile),
      .assignments("environment", \.environment),
      .command("exec", \.exec),
      .text("entrypoint", \.entrypoint),
      .lines("publish_port", \.publishPort, blanks: false),
      .lines("volume", \.volume),
      .command("health_cmd", \.healthCmd),
      .text("health_interval", \.healthInterval, blanks: false),
      .text("health_start_period", \.healthStartPeriod, blanks: false),
      .text("health_timeout", \.healthTimeout, blanks: false),
      .number("health_retries", \.healthRetries),
      .flag("run_init", \.runInit),
      .assignments("label", \.label),
      .words("podman_args", \.podmanArgs, literal: true),
      .text("user", \.user, blanks: false),
      .text("working_dir", \.workingDir),
      .text("auto_update", \.autoUpdate, blanks: false),
      .extra(\.extra, supported: supportedKeys),
    ]
  }
}
