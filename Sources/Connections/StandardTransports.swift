public import Engine
public import Foundation

extension TransportRegistry {
  /// The transports runner ships: `local`, `ssh` and `podman`.
  public static let standard: TransportRegistry = {
    do {
      return try TransportRegistry([LocalTransport(), SSHTransport(), PodmanTransport()])
    } catch {
      preconditionFailure("the standard transports have distinct names: \(error)")
    }
  }()
}

extension InventoryLoader {
  /// One inventory source read with the standard transports.
  public static func load(
    _ data: Data, file: String, vars: VarsDirectories = .none,
    defaults: ConnectionDefaults = ConnectionDefaults()
  ) throws -> Inventory {
    try load(data, file: file, vars: vars, defaults: defaults, transports: .standard)
  }

  /// Several sources read with the standard transports.
  public static func load(
    _ sources: [(data: Data, file: String)], vars: VarsDirectories = .none,
    defaults: ConnectionDefaults = ConnectionDefaults()
  ) throws -> Inventory {
    try load(sources, vars: vars, defaults: defaults, transports: .standard)
  }
}
