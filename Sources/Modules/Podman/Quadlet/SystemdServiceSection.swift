import Engine

/// The `[Service]` section of a Quadlet file, merged by quadlet into the generated service.
/// Quadlet sets `Type`, `KillMode`, `ExecStart` and friends itself; set only policy here.
public struct SystemdServiceSection: Sendable, Hashable, Decodable {
  /// `Restart=`: `no`, `on-failure`, `always`, …
  public var restart: String?
  /// `RestartSec=`, `TimeoutStartSec=`, `TimeoutStopSec=`: systemd time spans (`5`, `5min`).
  public var restartSec: String?
  public var timeoutStartSec: String?
  public var timeoutStopSec: String?
  /// Lines for any other `[Service]` key systemd 257 knows (`SystemdSectionKeys.service`).
  public var extra: [QuadletEntry]

  public init(
    restart: String? = nil, restartSec: String? = nil, timeoutStartSec: String? = nil,
    timeoutStopSec: String? = nil, extra: [QuadletEntry] = []
  ) {
    self.restart = restart
    self.restartSec = restartSec
    self.timeoutStartSec = timeoutStartSec
    self.timeoutStopSec = timeoutStopSec
    self.extra = extra
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case restart, extra
    case restartSec = "restart_sec"
    case timeoutStartSec = "timeout_start_sec"
    case timeoutStopSec = "timeout_stop_sec"
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      restart: args.optional(.restart), restartSec: args.optional(.restartSec),
      timeoutStartSec: args.optional(.timeoutStartSec),
      timeoutStopSec: args.optional(.timeoutStopSec), extra: args.optional(.extra, default: []))
    try args.finish()
  }

  var section: QuadletSectionWriter {
    var writer = QuadletSectionWriter(section: "Service")
    writer.text("Restart", restart, allowsBlanks: false)
    writer.text("RestartSec", restartSec)
    writer.text("TimeoutStartSec", timeoutStartSec)
    writer.text("TimeoutStopSec", timeoutStopSec)
    writer.extra(
      extra, supported: SystemdSectionKeys.service,
      typed: QuadletKeyName.typedKeys(CodingKeys.self))
    return writer
  }
}
