public import Engine
import Foundation

/// One server of an HAProxy backend, as the runtime API names it (`dci_api/dci-api-0`).
public struct HAProxyServer: Sendable, Hashable, CustomStringConvertible {
  public var backend: String
  public var server: String

  public init(backend: String, server: String) {
    self.backend = backend
    self.server = server
  }

  public var description: String { "\(backend)/\(server)" }

  /// Why a backend or server name cannot be sent to the runtime API, or nil.
  static func problem(with name: String, as what: String) -> String? {
    name.isEmpty
      || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
      ? "expected a \(what) name of letters, digits, '-', '_', '.' or ':', found '\(name)'" : nil
  }
}

/// HAProxy's runtime API on a host: the admin socket (HAProxy's `stats socket … level admin`)
/// and how long a drain or a return to service may take. It builds the commands that take
/// servers out of rotation and put them back (`HAProxyRuntimeScript`), each of which waits
/// on the host for what it asked, so a rolling restart or a scale-down needs no round trip
/// per poll.
public struct HAProxyRuntime: Sendable, Hashable {
  public var socket: HostPath
  /// Seconds a drain may wait for in-flight requests, and a server for its health check.
  public var timeout: Int

  public init(socket: HostPath, timeout: Int = 60) {
    self.socket = socket
    self.timeout = timeout
  }

  /// No new requests, the ones in flight finished (or `timeout` passed), then maintenance.
  public func drain(_ servers: [HAProxyServer]) -> Command { command("drain", servers) }

  /// Back in rotation, done once HAProxy's health check says `UP`; fails after `timeout`.
  public func ready(_ servers: [HAProxyServer]) -> Command { command("ready", servers) }

  /// `systemctl reload unit`, done once a new worker answers the API.
  public func reload(_ unit: String) -> Command { command("reload", [unit]) }

  private func command(_ verb: String, _ servers: [HAProxyServer]) -> Command {
    command(verb, servers.map(\.description))
  }

  private func command(_ verb: String, _ arguments: [String]) -> Command {
    Command(
      ["python3", "-", socket.rawValue, verb, String(timeout)] + arguments,
      input: Data(HAProxyRuntimeScript.source.utf8))
  }

  var socketProblem: String? {
    socket.isAbsolute ? nil : "expected an absolute path, found '\(socket)'"
  }

  var timeoutProblem: String? {
    timeout >= 1 ? nil : "expected a number of seconds ≥ 1, found \(timeout)"
  }

  /// Problems with the socket path, the timeout or the names, for a module's validation.
  func problems(_ servers: [HAProxyServer]) -> [String] {
    var problems = [socketProblem.map { "socket: " + $0 }, timeoutProblem.map { "timeout: " + $0 }]
      .compactMap { $0 }
    for server in servers {
      problems += [
        HAProxyServer.problem(with: server.backend, as: "backend"),
        HAProxyServer.problem(with: server.server, as: "server"),
      ].compactMap { $0 }
    }
    return problems
  }
}
