public import Engine
import Foundation

/// Where units' servers sit in HAProxy, for modules that take them out of rotation before
/// stopping or restarting them: the runtime socket on the host, the backend, and each unit's
/// server name. JSON: `{"socket": "/run/haproxy/admin.sock", "backend": "web", "servers":
/// ["web-0", "web-1"], "timeout": 60}` (`servers` in the order of the units), or with
/// `"server": "web-%i"` where the units are instances of a template.
public struct HAProxyRotation: Sendable, Hashable, Decodable {
  public var runtime: HAProxyRuntime
  public var backend: String
  /// One server per unit, in the units' order; empty when `serverPattern` names them.
  public var servers: [String]
  /// `web-%i`: the server of template instance `web@N.service` is `web-N`.
  public var serverPattern: String?

  public static let defaultSocket: HostPath = "/run/haproxy/admin.sock"

  public init(
    socket: HostPath = defaultSocket, backend: String, servers: [String] = [],
    serverPattern: String? = nil, timeout: Int = 60
  ) {
    self.runtime = HAProxyRuntime(socket: socket, timeout: timeout)
    self.backend = backend
    self.servers = servers
    self.serverPattern = serverPattern
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case socket, backend, servers, server, timeout
  }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      socket: args.optional(.socket, default: Self.defaultSocket),
      backend: args.required(.backend) ?? "", servers: args.optional(.servers, default: []),
      serverPattern: args.optional(.server), timeout: args.optional(.timeout, default: 60))
    for problem in runtime.problems([]) { args.record(.socket, problem) }
    if let problem = HAProxyServer.problem(with: backend, as: "backend") {
      args.record(.backend, problem)
    }
    if !servers.isEmpty, serverPattern != nil {
      args.record(.server, "give 'servers' or 'server', not both")
    }
    try args.finish()
  }

  /// The server of the unit at `index` (instance name `instance` for a template pattern).
  func server(at index: Int, instance: String?) -> HAProxyServer? {
    if let serverPattern, let instance {
      return HAProxyServer(
        backend: backend, server: serverPattern.replacingOccurrences(of: "%i", with: instance))
    }
    guard servers.indices.contains(index) else { return nil }
    return HAProxyServer(backend: backend, server: servers[index])
  }

  /// Problems for `count` units (a list of servers of another length, a bad name).
  func problems(units: [String]) -> [String] {
    var problems: [String] = []
    if serverPattern == nil, servers.count != units.count {
      problems.append(
        "expected one server per unit (\(units.count)), found \(servers.count)")
    }
    let named = units.indices.compactMap { server(at: $0, instance: instanceName(units[$0])) }
    return problems + runtime.problems(named)
  }
}

/// `3` for `web@3.service`; nil for a unit that is no template instance.
func instanceName(_ unit: String) -> String? {
  guard let at = unit.firstIndex(of: "@") else { return nil }
  let rest = unit[unit.index(after: at)...]
  guard let dot = rest.lastIndex(of: ".") else { return String(rest) }
  return String(rest[..<dot])
}
