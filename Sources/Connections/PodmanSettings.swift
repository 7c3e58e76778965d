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
    var settings = PodmanSettings(
      container: host.connection.address ?? host.name, user: host.connection.user,
      executable: reader.string("podman_executable") ?? "podman")
    for (name, value) in reader.variables(["ansible_podman_executable"]) {
      if let path = TransportOptionReader.text(value), !path.isEmpty {
        settings.executable = path
      } else {
        reader.problem(variable: name, "expected a program name or path")
      }
    }
    return (settings, reader.problems)
  }
}
