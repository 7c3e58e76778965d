import Engine

/// Ansible's `become`: run as another user through `sudo`. `-n` makes sudo fail at once
/// ("a password is required") instead of waiting for a password nobody will type.
struct Become: Sendable, Hashable {
  var user: String?

  /// Nil when the settings do not ask for privilege escalation.
  init?(_ settings: ConnectionSettings) {
    guard settings.become else { return nil }
    user = settings.becomeUser
  }

  /// `sudo -n [-u user] -- <arguments>`.
  func wrap(_ arguments: [String]) -> [String] {
    var prefix = ["sudo", "-n"]
    if let user { prefix += ["-u", user] }
    return prefix + ["--"] + arguments
  }
}
