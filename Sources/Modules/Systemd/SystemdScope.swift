/// Which systemd manager a `systemctl` call talks to: the system one (default) or the calling
/// user's (`--user`, Ansible's `scope: user`).
public enum SystemdScope: String, Sendable, Hashable, Decodable, CaseIterable {
  case system
  case user

  /// The `systemctl` argv prefix for this scope.
  var systemctl: [String] {
    switch self {
    case .system: ["systemctl"]
    case .user: ["systemctl", "--user"]
    }
  }

  /// `journalctl` showing the last `lines` lines of these units of this scope.
  func journal(of units: [String], lines: Int) -> [String] {
    let head = ["journalctl", "--no-pager", "--lines=\(lines)"]
    switch self {
    case .system: return head + units.map { "--unit=" + $0 }
    case .user: return head + ["--user"] + units.map { "--user-unit=" + $0 }
    }
  }
}
