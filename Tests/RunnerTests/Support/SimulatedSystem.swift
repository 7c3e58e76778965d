import Engine
import Foundation
import Modules
import Synchronization

/// Just enough of a Debian host with systemd, podman and Quadlet for the `dci_api` and
/// `haproxy` roles to plan and apply on a `FakeHost`: `stat` answers from the fake's files and
/// the directories `mkdir -p` made; Quadlet instance links come and go with `ln -sfn`/`rm`;
/// units start and stop, and `daemon-reload` turns the Quadlet files present into units and
/// forgets the units whose file is gone. Every podman image exists; podman secrets are kept
/// as `podman secret create` got them on standard input. Anything else stays a test
/// issue (the fake's rule), so a command the roles start to run unexpectedly is noticed.
final class SimulatedSystem: Sendable {
  private struct State {
    var directories: Set<String> = ["/"]
    /// Symlink path → target, as `ln -sfn` made them.
    var links: [String: String] = [:]
    /// Unit → active state, for units systemd knows.
    var units: [String: String] = [:]
    /// Podman secret name → its data.
    var secrets: [String: Data] = [:]
    /// What the HAProxy runtime client was asked, in order.
    var runtimeCalls: [[String]] = []
  }

  private let state = Mutex(State())
  private let host: FakeHost
  static let quadletDirectory = PodmanQuadlet.systemDirectory.rawValue

  /// Installs the simulation on `host` (its responders win over those added before).
  init(on host: FakeHost, directories: [String] = []) {
    self.host = host
    state.withLock { $0.directories.formUnion(directories) }
    host.respond { command in self.answer(command) }
  }

  /// Units systemd knows, with their active state.
  var units: [String: String] { state.withLock { $0.units } }

  /// Makes systemd know `unit` in `activeState` (a unit an earlier run left behind).
  func setUnit(_ unit: String, _ activeState: String?) {
    state.withLock { $0.units[unit] = activeState }
  }

  /// Podman secrets by name, with their data.
  var secrets: [String: Data] { state.withLock { $0.secrets } }

  private func answer(_ command: Command) -> CommandOutput? {
    let argv = command.arguments
    let ok = CommandOutput(exitCode: 0, stdout: "")
    switch argv.first {
    case "stat": return stat(argv)
    case "mkdir" where argv.starts(with: ["mkdir", "-p", "--"]):
      state.withLock { state in
        for path in argv.dropFirst(3) {
          var current = HostPath(path)
          while current.rawValue != "/" {
            state.directories.insert(current.rawValue)
            current = current.parent
          }
        }
      }
      return ok
    case "chmod", "chown", "chgrp", "yolo": return ok
    case "ln" where argv.count == 5 && argv.starts(with: ["ln", "-sfn", "--"]):
      state.withLock { $0.links[argv[4]] = argv[3] }
      return ok
    case "rm":
      for path in argv.drop(while: { $0 != "--" }).dropFirst() {
        host.remove(HostPath(path))
        _ = state.withLock { $0.links.removeValue(forKey: path) }
      }
      return ok
    case "sh" where Self.asksInstanceLinks(argv): return instanceLinks(argv)
    case "podman" where argv.starts(with: ["podman", "image", "exists"]): return ok
    case "podman" where argv.starts(with: ["podman", "secret"]): return secret(command)
    case "systemctl": return systemctl(Array(argv.dropFirst()))
    case "python3" where argv.starts(with: ["python3", "-"]) && argv.count >= 5:
      return haproxyRuntime(argv)
    default: return nil
    }
  }

  private func stat(_ argv: [String]) -> CommandOutput {
    let path = argv.last ?? ""
    let follows = argv.contains("-L")
    let (directory, link) = state.withLock { ($0.directories.contains(path), $0.links[path]) }
    var found: ExistingFile?
    if directory {
      found = .directory()
    } else if let link {
      let target = HostPath(path).parent.appending(link)
      found = follows ? host.file(target).map { .file($0.mode ?? 0o644) } : .link
    } else if let file = host.file(HostPath(path)) {
      found = .file(file.mode ?? 0o644)
    }
    guard let found else {
      return CommandOutput(
        exitCode: 1, stdout: "", stderr: "stat: cannot statx '\(path)': No such file or directory\n"
      )
    }
    return CommandOutput(exitCode: 0, stdout: FakeHost.statLine(found) + "\n")
  }

  /// HAProxy's runtime client (`python3 - SOCKET VERB TIMEOUT TARGET…`): every server is
  /// drained or back `UP` at once; `reload UNIT` reloads the unit. The verbs are kept in order.
  private func haproxyRuntime(_ argv: [String]) -> CommandOutput {
    let verb = argv[3]
    let targets = Array(argv.dropFirst(5))
    state.withLock { $0.runtimeCalls.append([verb] + targets) }
    let servers =
      verb == "reload" ? "[]" : "[" + targets.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    return CommandOutput(
      exitCode: 0,
      stdout: #"{"phase": "\#(verb)", "servers": \#(servers), "started": 1000.0, "seconds": 0.5}"#
        + "\n")
  }

  /// The runtime client's calls, `[verb, target…]`, in order.
  var runtimeCalls: [[String]] { state.withLock { $0.runtimeCalls } }

  /// `podman secret inspect --showsecret --format {{.SecretData}} -- NAME`,
  /// `podman secret create --replace -- NAME -` (data on stdin), `podman secret rm -- NAME`.
  private func secret(_ command: Command) -> CommandOutput? {
    let argv = command.arguments
    guard let name = argv.drop(while: { $0 != "--" }).dropFirst().first else { return nil }
    return state.withLock { state in
      switch argv[2] {
      case "inspect":
        guard let data = state.secrets[name] else {
          let stderr =
            "Error: inspecting secret: no secret with name or id \"\(name)\": no such secret"
          return CommandOutput(exitCode: 125, stdout: "", stderr: stderr)
        }
        return CommandOutput(exitCode: 0, standardOutput: data + Data("\n".utf8))
      case "create":
        state.secrets[name] = command.input ?? Data()
        return CommandOutput(exitCode: 0, stdout: "0123456789abcdef0123456789\n")
      case "rm":
        state.secrets[name] = nil
        return CommandOutput(exitCode: 0, stdout: "")
      default: return nil
      }
    }
  }

  /// Whether argv is `QuadletInstanceLinks`' own command (`sh -c … DIR PREFIX SUFFIX TEMPLATE`).
  private static func asksInstanceLinks(_ argv: [String]) -> Bool {
    argv.count == 8
      && QuadletInstanceLinks(directory: HostPath(argv[4]), template: argv[7]).command.arguments
        == argv
  }

  /// The links of DIR whose names start with PREFIX and end with SUFFIX, `name<TAB>target`.
  private func instanceLinks(_ argv: [String]) -> CommandOutput {
    let (directory, prefix, suffix) = (argv[4], argv[5], argv[6])
    let lines = state.withLock { $0.links }.sorted { $0.key < $1.key }.compactMap {
      path, target -> String? in
      let name = HostPath(path).lastComponent
      guard HostPath(path).parent.rawValue == directory, name.hasPrefix(prefix),
        name.hasSuffix(suffix)
      else { return nil }
      return "\(name)\t\(target)\n"
    }
    return CommandOutput(exitCode: 0, stdout: lines.joined())
  }

  private func systemctl(_ argv: [String]) -> CommandOutput? {
    let verb = argv.first { !$0.hasPrefix("-") } ?? ""
    let units = Array(argv.drop(while: { $0 != "--" }).dropFirst())
    let ok = CommandOutput(exitCode: 0, stdout: "")
    switch verb {
    case "show":
      // As systemd: a block per unit named, in order, then one per loaded unit a pattern
      // matches.
      let known = self.units
      let named = units.filter { !$0.contains("*") }
      let matched = units.filter { $0.contains("*") }.flatMap { pattern in
        let parts = pattern.split(separator: "*", maxSplits: 1).map(String.init)
        return known.keys.sorted().filter {
          $0.hasPrefix(parts.first ?? "") && $0.hasSuffix(parts.last ?? "")
        }
      }
      let blocks = (named + matched).map { unit in
        guard let active = known[unit] else {
          return "Id=\(unit)\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n"
            + "UnitFileState=\nNeedDaemonReload=no\nFragmentPath=\nSourcePath=\n"
        }
        return "Id=\(unit)\nLoadState=loaded\nActiveState=\(active)\n"
          + "SubState=\(active == "active" ? "running" : "dead")\nUnitFileState=generated\n"
          + "NeedDaemonReload=no\nFragmentPath=/run/systemd/generator/\(unit)\n"
          + "SourcePath=\(Self.quadletDirectory)/\(unit)\n"
      }
      return CommandOutput(exitCode: 0, stdout: blocks.joined(separator: "\n"))
    case "start", "restart", "reload":
      state.withLock { state in for unit in units { state.units[unit] = "active" } }
      return ok
    case "stop":
      state.withLock { state in
        for unit in units where state.units[unit] != nil { state.units[unit] = "inactive" }
      }
      return ok
    case "daemon-reload":
      let generated = generatedUnits()
      state.withLock { state in
        state.units = state.units.filter { generated.contains($0.key) }
        for unit in generated where state.units[unit] == nil { state.units[unit] = "inactive" }
      }
      return ok
    case "disable", "enable": return ok
    default: return nil
    }
  }

  /// What Quadlet's generator makes of the files and links in its directory.
  private func generatedUnits() -> Set<String> {
    let links = state.withLock { $0.links.keys }
    let candidates =
      links.map { HostPath($0) }
      + Self.quadletFiles.filter { host.file($0) != nil }
    var units: Set<String> = []
    for path in candidates where path.parent.rawValue == Self.quadletDirectory {
      let name = path.lastComponent
      if name.hasSuffix(".container") && !name.hasSuffix("@.container") {
        units.insert(String(name.dropLast(".container".count)) + ".service")
      } else if name.hasSuffix(".image") {
        units.insert(String(name.dropLast(".image".count)) + "-image.service")
      } else if name.hasSuffix(".network") {
        units.insert(String(name.dropLast(".network".count)) + "-network.service")
      }
    }
    return units
  }

  /// The Quadlet files the roles write (the fake cannot list its files).
  static let quadletFiles: [HostPath] = [
    "dci-api@.container", "dci-api-auth-tracking.container", "dci-api-auth-tracking.image",
    "haproxy.container", "quadlet.network",
  ].map { PodmanQuadlet.systemDirectory.appending($0) }
}
