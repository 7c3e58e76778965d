import Modules

/// Typed units and the exact text each renders to. The DCI API unit mirrors the testhost
/// sample `dci-api@.container`; the hostile `Exec=` line was started on a test host
/// (podman 5.4.2, systemd 257), where `podman inspect` showed every argument unchanged.
enum QuadletFixtures {
  static let dciAPI = QuadletUnit(
    .container(
      QuadletContainer(image: "dci-api.image") {
        $0.containerName = "dci-api-%i"
        $0.network = ["quadlet.network"]
        $0.environmentFile = ["/etc/dci-api/dci-api.env"]
        $0.exec = ["gunicorn", "--workers", "4", "--bind", "0.0.0.0:5000", "dci.app:create_app()"]
        $0.healthCmd = "curl --head http://localhost:5000/api/v1/"
        $0.healthInterval = "30s"
        $0.runInit = true
        $0.label = ["app": "dci-api"]
      }),
    unit: SystemdUnitSection {
      $0.description = "DCI API instance %i"
      $0.after = ["network-online.target"]
    },
    service: SystemdServiceSection {
      $0.restart = "always"
      $0.timeoutStartSec = "300"
    },
    install: SystemdInstallSection {
      $0.wantedBy = ["multi-user.target"]
      $0.defaultInstance = "0"
    })

  static let dciAPIText = """
    # Written by runner; edits here are overwritten on the next run.

    [Unit]
    Description=DCI API instance %i
    After=network-online.target

    [Container]
    Image=dci-api.image
    ContainerName=dci-api-%i
    Network=quadlet.network
    EnvironmentFile=/etc/dci-api/dci-api.env
    Exec=gunicorn --workers 4 --bind 0.0.0.0:5000 dci.app:create_app()
    HealthCmd=curl --head http://localhost:5000/api/v1/
    HealthInterval=30s
    RunInit=true
    Label=app=dci-api

    [Service]
    Restart=always
    TimeoutStartSec=300

    [Install]
    WantedBy=multi-user.target
    DefaultInstance=0

    """

  static let network = QuadletUnit(
    .network(
      QuadletNetwork {
        $0.networkName = "quadlet"
        $0.subnet = ["10.89.10.0/24"]
        $0.gateway = ["10.89.10.1"]
      }))

  static let networkText = """
    # Written by runner; edits here are overwritten on the next run.

    [Network]
    NetworkName=quadlet
    Subnet=10.89.10.0/24
    Gateway=10.89.10.1

    """

  static let image = QuadletUnit(
    .image(
      QuadletImage(image: "localhost:5000/web-standin:latest") {
        $0.tlsVerify = false
      }),
    unit: SystemdUnitSection {
      $0.after = ["docker-registry.service"]
    })

  static let imageText = """
    # Written by runner; edits here are overwritten on the next run.

    [Unit]
    After=docker-registry.service

    [Image]
    Image=localhost:5000/web-standin:latest
    TLSVerify=false

    """

  static let volume = QuadletUnit(
    .volume(
      QuadletVolume {
        $0.volumeName = "dci-data"
        $0.label = ["app": "dci"]
      }),
    install: SystemdInstallSection {
      $0.wantedBy = ["multi-user.target"]
    })

  static let volumeText = """
    # Written by runner; edits here are overwritten on the next run.

    [Volume]
    VolumeName=dci-data
    Label=app=dci

    [Install]
    WantedBy=multi-user.target

    """

  /// Arguments a shell or systemd would mangle: blanks, quotes, `$`, `%`, backslashes.
  static let hostileArguments = [
    "a b", "it's", "say \"hi\"", "$HOME", "${HOME}", "100%", "%i", "back\\slash", "a;b", "#x",
    "--opt=va lue", "ünï", "'single'",
  ]

  static let hostileExecLine = #"""
    Exec="a b" "it's" "say \"hi\"" $$HOME $${HOME} 100%% %%i "back\\slash" a;b #x "--opt=va lue" ünï "'single'"
    """#
}
