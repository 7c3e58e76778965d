import Engine

/// What the podman transport reads for a host: the container (`address`/`ansible_host`,
/// else the inventory name), the user inside it (`user`/`ansible_user`, else the image's),
/// and the podman program (`podman_executable`/`ansible_podman_executable`, else `podman`).
public struct PodmanSettings: Sendable, Hashable {
  public var container: String
  public var user: String?
  public var executable: String

  static let keys = ["podman_executable"]

  static func read(_ host: InventoryHost) -> (settings: PodmanSettings, problems: [Diagnostic]) {
    var reader = TransportOptionReader(host)
    let entry = reader.string("podman_executable")
    let executable = reader.variable(
      ["ansible_podman_executable"], problem: { _ in "expected a program name or path" }
    ) { TransportOptionReader.text($0).flatMap { $0.isEmpty ? nil : $0 } }
    let settings = PodmanSettings(
      container: host.connection.address ?? host.name, user: host.connection.user,
      executable: executable ?? entry ?? "podman")
    return (settings, reader.problems)
  }
}
