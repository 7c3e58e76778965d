public import Engine
import Foundation

/// A running container on this machine, reached with `podman exec`. Every read, write,
/// command and batch of probes is one `podman exec` (one round trip), through the same fixed
/// scripts ssh hosts use (`ScriptedHost`), so the container needs only a POSIX `sh`.
public struct PodmanConnection: ScriptedConnection {
  public let scriptedHost: ScriptedHost<PodmanChannel>

  public init(to inventoryHost: InventoryHost) {
    scriptedHost = ScriptedHost(
      channel: PodmanChannel(
        settings: PodmanSettings.read(inventoryHost).settings,
        become: Become(inventoryHost.connection), counter: RoundTripCounter()))
  }
}
