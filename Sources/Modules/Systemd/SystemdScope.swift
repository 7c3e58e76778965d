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

  /// The last `lines` lines of these units' journal in this scope, without systemd's
  /// `Killing process N (…) with signal …` lines: stopping a container's unit kills each of
  /// its processes (podman's too), and their lines crowd out the program's own last words
  /// (seen: eight of them after gunicorn's "unrecognized arguments"). Run only after a
  /// failure, so the pipeline's processes cost nothing in a good run.
  func journal(of units: [String], lines: Int) -> [String] {
    let selection: [String]
    switch self {
    case .system: selection = units.map { "--unit=" + $0 }
    case .user: selection = ["--user"] + units.map { "--user-unit=" + $0 }
    }
    return [
      "sh", "-c",
      "journalctl --no-pager --lines=\(lines * 10) \"$@\" | grep -v -F ': Killing process '"
        + " | tail -n \(lines)",
      "sh",
    ] + selection
  }
}
