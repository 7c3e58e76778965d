extension QuadletNetwork {
  /// Every key podman 5.4's quadlet accepts in `[Network]` (16 keys). Any other key makes
  /// quadlet refuse the whole file ("unsupported key … in group 'Network'"), so `extra` is
  /// checked against this list. Probed from the quadlet 5.4.2 binary of the test hosts
  /// (`quadlet -dryrun` on one key at a time), which matches podman 5.4's
  /// `pkg/systemd/quadlet/quadlet.go`; later podman versions add keys (`Memory`, `Retry`, …)
  /// that 5.4 rejects.
  public static let supportedKeys: Set<String> = [
    "ContainersConfModule", "DisableDNS", "DNS", "Driver", "Gateway", "GlobalArgs", "Internal",
    "IPAMDriver", "IPRange", "IPv6", "Label", "NetworkName", "Options", "PodmanArgs",
    "ServiceName", "Subnet",
  ]
}
