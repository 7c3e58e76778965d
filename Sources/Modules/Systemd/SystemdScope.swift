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
}
