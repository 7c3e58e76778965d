extension QuadletContainer {
  /// Every key podman 5.4's quadlet accepts in `[Container]` (87 keys). Any other key makes
  /// quadlet refuse the whole file ("unsupported key … in group 'Container'"), so `extra` is
  /// checked against this list. Probed from the quadlet 5.4.2 binary of the test hosts
  /// (`quadlet -dryrun` on one key at a time), which matches podman 5.4's
  /// `pkg/systemd/quadlet/quadlet.go`; later podman versions add keys (`Memory`, `Retry`, …)
  /// that 5.4 rejects.
  public static let supportedKeys: Set<String> = [
    "AddCapability", "AddDevice", "AddHost", "Annotation", "AutoUpdate", "CgroupsMode",
    "ContainerName", "ContainersConfModule", "DNS", "DNSOption", "DNSSearch", "DropCapability",
    "Entrypoint", "Environment", "EnvironmentFile", "EnvironmentHost", "Exec", "ExposeHostPort",
    "GIDMap", "GlobalArgs", "Group", "GroupAdd", "HealthCmd", "HealthInterval",
    "HealthLogDestination", "HealthMaxLogCount", "HealthMaxLogSize", "HealthOnFailure",
    "HealthRetries", "HealthStartPeriod", "HealthStartupCmd", "HealthStartupInterval",
    "HealthStartupRetries", "HealthStartupSuccess", "HealthStartupTimeout", "HealthTimeout",
    "HostName", "Image", "IP", "IP6", "Label", "LogDriver", "LogOpt", "Mask", "Mount", "Network",
    "NetworkAlias", "NoNewPrivileges", "Notify", "PidsLimit", "Pod", "PodmanArgs", "PublishPort",
    "Pull", "ReadOnly", "ReadOnlyTmpfs", "RemapGid", "RemapUid", "RemapUidSize", "RemapUsers",
    "Rootfs", "RunInit", "SeccompProfile", "Secret", "SecurityLabelDisable",
    "SecurityLabelFileType", "SecurityLabelLevel", "SecurityLabelNested", "SecurityLabelType",
    "ServiceName", "ShmSize", "StartWithPod", "StopSignal", "StopTimeout", "SubGIDMap",
    "SubUIDMap", "Sysctl", "Timezone", "Tmpfs", "UIDMap", "Ulimit", "Unmask", "User", "UserNS",
    "VolatileTmp", "Volume", "WorkingDir",
  ]
}
