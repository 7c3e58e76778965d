/// `systemctl show --property=Id,LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload,
/// FragmentPath,SourcePath -- …` output captured on a test host (Debian trixie, systemd
/// 257.13, podman 5.4.2), unit by unit, in the order systemd prints the properties. Blocks are
/// joined with one blank line, as systemctl separates units.
enum SystemdShowFixtures {
  static let sshActiveEnabled = """
    Id=ssh.service
    LoadState=loaded
    ActiveState=active
    SubState=running
    FragmentPath=/usr/lib/systemd/system/ssh.service
    SourcePath=
    UnitFileState=enabled
    NeedDaemonReload=no
    """

  static let notFound = """
    Id=nosuch.service
    LoadState=not-found
    ActiveState=inactive
    SubState=dead
    FragmentPath=
    SourcePath=
    UnitFileState=
    NeedDaemonReload=no
    """

  static let haproxyInactiveDisabled = """
    Id=haproxy.service
    LoadState=loaded
    ActiveState=inactive
    SubState=dead
    FragmentPath=/usr/lib/systemd/system/haproxy.service
    SourcePath=
    UnitFileState=disabled
    NeedDaemonReload=no
    """

  static let journaldStatic = """
    Id=systemd-journald.service
    LoadState=loaded
    ActiveState=active
    SubState=running
    FragmentPath=/usr/lib/systemd/system/systemd-journald.service
    SourcePath=
    UnitFileState=static
    NeedDaemonReload=no
    """

  /// An instance of an ordinary template (`getty@.service`), enabled through its template.
  static let gettyInstance = """
    Id=getty@tty1.service
    LoadState=loaded
    ActiveState=inactive
    SubState=dead
    FragmentPath=/usr/lib/systemd/system/getty@.service
    SourcePath=
    UnitFileState=enabled
    NeedDaemonReload=no
    """

  /// A Quadlet template instance before the daemon-reload that generates it.
  static let quadletInstanceBeforeReload = """
    Id=fx@0.service
    LoadState=not-found
    ActiveState=inactive
    SubState=dead
    FragmentPath=
    SourcePath=
    UnitFileState=
    NeedDaemonReload=no
    """

  /// The same instance after daemon-reload, not started.
  static let quadletInstanceInactive = """
    Id=fx@1.service
    LoadState=loaded
    ActiveState=inactive
    SubState=dead
    FragmentPath=/run/systemd/generator/fx@.service
    SourcePath=/etc/containers/systemd/fx@.container
    UnitFileState=generated
    NeedDaemonReload=no
    """

  /// A running Quadlet instance whose `.container` file changed since the last reload.
  static let quadletInstanceStale = """
    Id=fx@0.service
    LoadState=loaded
    ActiveState=active
    SubState=running
    FragmentPath=/run/systemd/generator/fx@.service
    SourcePath=/etc/containers/systemd/fx@.container
    UnitFileState=generated
    NeedDaemonReload=yes
    """

  /// A running Quadlet instance, up to date.
  static let quadletInstanceRunning = """
    Id=fx@0.service
    LoadState=loaded
    ActiveState=active
    SubState=running
    FragmentPath=/run/systemd/generator/fx@.service
    SourcePath=/etc/containers/systemd/fx@.container
    UnitFileState=generated
    NeedDaemonReload=no
    """

  /// Written, not captured: a masked unit and a failed one, in systemd's format.
  static let masked = """
    Id=cups.service
    LoadState=masked
    ActiveState=inactive
    SubState=dead
    FragmentPath=/dev/null
    SourcePath=
    UnitFileState=masked
    NeedDaemonReload=no
    """

  static let failedEnabled = """
    Id=broken.service
    LoadState=loaded
    ActiveState=failed
    SubState=failed
    FragmentPath=/etc/systemd/system/broken.service
    SourcePath=
    UnitFileState=enabled
    NeedDaemonReload=no
    """

  /// A generated unit whose container exits at once: between two automatic restarts.
  /// Between two attempts of a crash loop, its process just died (as a test host showed).
  static let stoppingAfterCrash = """
    Id=dci-api@0.service
    LoadState=loaded
    ActiveState=deactivating
    SubState=stop-post
    FragmentPath=/run/systemd/generator/dci-api@0.service
    SourcePath=/etc/containers/systemd/dci-api@0.container
    UnitFileState=generated
    NeedDaemonReload=yes
    """

  static let crashLooping = """
    Id=dci-api@0.service
    LoadState=loaded
    ActiveState=activating
    SubState=auto-restart
    FragmentPath=/run/systemd/generator/dci-api@.service
    SourcePath=/etc/containers/systemd/dci-api@.container
    UnitFileState=generated
    NeedDaemonReload=no
    """

  /// `systemctl show` output for several units, as one call prints it.
  static func output(_ blocks: String...) -> String {
    blocks.joined(separator: "\n\n") + "\n"
  }
}
