public import Engine

/// `connection: podman`: a container running on this machine, reached with `podman exec`
/// (`PodmanConnection`), its settings read by `PodmanSettings`. Added without touching the
/// engine: it is the proof that a transport is a plug-in.
public struct PodmanTransport: Transport {
  public init() {}

  public var name: TransportName { "podman" }
  public var settingKeys: [String] { PodmanSettings.keys }

  public func problems(in host: InventoryHost) -> [Diagnostic] {
    PodmanSettings.read(host).problems
  }

  public func connect(to host: InventoryHost) throws -> any Connection {
    PodmanConnection(to: host)
  }
}
