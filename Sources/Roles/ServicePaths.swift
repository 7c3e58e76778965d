public import Engine

/// Where a role may keep a service's own files, checked with the role's variables, before any
/// change on any host. HAProxy's directories are bind-mounted into an internet-facing
/// container and made mode 0755, so a path that is shared with the system (`/tmp` would lose
/// its sticky 1777, `/etc` would expose every secret under it) or that cannot travel through
/// a Quadlet `Volume=` line and a validate command (`:`, blanks, `%`) is refused, with why.
public enum ServicePaths {
  /// Trees a service directory may not be in (nor be): the kernel's, the runtime's, the
  /// temporary ones, and those holding the host's credentials and units.
  static let protectedTrees: [HostPath] = [
    "/proc", "/sys", "/dev", "/run", "/tmp", "/var/tmp", "/boot", "/root", "/home",
    "/etc/ssh", "/etc/ssl", "/etc/pam.d", "/etc/sudoers.d", "/etc/security", "/etc/systemd",
    "/etc/containers", "/var/lib/containers",
  ]

  /// Directories a service directory may be inside of, never be.
  static let sharedDirectories: Set<String> = [
    "/", "/etc", "/usr", "/usr/local", "/usr/local/etc", "/usr/share", "/usr/lib", "/usr/bin",
    "/var", "/var/lib", "/var/log", "/var/cache", "/var/spool", "/srv", "/opt", "/mnt",
    "/media", "/bin", "/sbin", "/lib", "/lib64",
  ]

  /// Why `path` cannot be a directory of the service's own; nil when it can.
  public static func directoryProblem(_ path: HostPath) -> String? {
    if let problem = spellingProblem(path) { return problem }
    if sharedDirectories.contains(path.rawValue) {
      return "'\(path)' is a directory the whole system shares; give one of the service's own"
        + " (e.g. /etc/haproxy)"
    }
    if let tree = protectedTrees.first(where: { path.isWithin($0) }) {
      return "'\(path)' is in \(tree), which no service directory may be in"
    }
    return nil
  }

  /// Why `path` cannot be a config file of the service's own, in a directory of its own,
  /// named `*.<fileExtension>`; nil when it can.
  public static func fileProblem(_ path: HostPath, fileExtension: String) -> String? {
    if let problem = spellingProblem(path) { return problem }
    guard path.lastComponent.hasSuffix(".\(fileExtension)"), path.lastComponent.count > 4
    else { return "expected a file named *.\(fileExtension), found '\(path)'" }
    return directoryProblem(path.parent).map { "its directory: \($0)" }
  }

  /// An absolute, normalized path of letters, digits and `/._+@-`: what a Quadlet `Volume=`
  /// (`:`-separated, blank-split), a podman `-v` and a validate command carry unchanged.
  private static func spellingProblem(_ path: HostPath) -> String? {
    let text = path.rawValue
    guard text.hasPrefix("/") else { return "expected an absolute path, found '\(text)'" }
    let allowed = text.allSatisfy {
      $0.isASCII && ($0.isLetter || $0.isNumber || "/._+@-".contains($0))
    }
    guard allowed else {
      return "expected a path of letters, digits and '/._+@-' (it is mounted into a container"
        + " with ':' separators and passed to a validate command), found '\(text)'"
    }
    let components = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    if text != "/" && components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
      return "expected a normalized path (no '//', '.', '..' or trailing '/'), found '\(text)'"
    }
    return nil
  }
}

extension HostPath {
  /// Whether this path is `other` or inside it.
  func isWithin(_ other: HostPath) -> Bool {
    rawValue == other.rawValue
      || rawValue.hasPrefix(other.rawValue == "/" ? "/" : other.rawValue + "/")
  }
}
