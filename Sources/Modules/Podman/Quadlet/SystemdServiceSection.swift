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
  public var extra: [QuadletEntry] = []

  /// A section with the keys `configure` sets, the others unset.
  public init(_ configure: (inout Self) throws -> Void) rethrows { try configure(&self) }

  public init(from decoder: any Decoder) throws { try self.init(reading: decoder) }
}

extension SystemdServiceSection: QuadletSection {
  static let sectionName = "Service"

  public init() {}

  /// The `[Service]` keys, in the order they are written.
  static var fields: [QuadletField<Self>] {
    [
      .text("restart", \.restart, blanks: false),
      .text("restart_sec", \.restartSec),
      .text("timeout_start_sec", \.timeoutStartSec),
      .text("timeout_stop_sec", \.timeoutStopSec),
      .extra(\.extra, supported: SystemdSectionKeys.service),
    ]
  }
}
