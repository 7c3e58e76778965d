import Connections
import Engine
import Foundation
import Modules
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A real host that module tests drive the way the product does: a JSON playbook loaded with
/// the standard modules and run by `PlaybookRunner` through `StandardConnectionFactory`.
/// Either this machine (`connection: local`, files in a temp directory) or a booted test
/// host over ssh. Every play gets the variable `root`, the directory the test owns there.
struct HostTarget: Sendable {
  /// The inventory name plays run on.
  let name: String
  let inventory: Inventory
  /// The directory the test's files live in (plays see it as `{{ root }}`).
  let root: String
  /// A user and group other than the test's own, where the test may `chown` to them.
  let owner: String
  let group: String
  /// Plays run with `become: true` (`sudo -n` on the host).
  var become = false
  private let spawn: @Sendable ([String]) throws -> Spawn.Output

  /// This machine through `LocalConnection`, files under `root`. Running as root, the test
  /// gives files to `daemon`; otherwise to the test's own user, which needs no privilege.
  static func local(root: String) -> HostTarget {
    let isRoot = getuid() == 0
    return HostTarget(
      name: "localhost", inventory: .localhost, root: root,
      owner: isRoot ? "daemon" : Self.name(ofUser: getuid()),
      group: isRoot ? "daemon" : Self.name(ofGroup: getgid()),
      spawn: { try Spawn.run("/usr/bin/env", $0) })
  }

  /// A booted test host over ssh, files under `root` on that host. The inventory says which
  /// user ssh logs in as (`root`, or `deploy` with `become`).
  static func booted(
    _ name: String, inventory: Inventory, root: String, become: Bool = false
  ) -> HostTarget {
    HostTarget(
      name: name, inventory: inventory, root: root, owner: "deploy", group: "deploy",
      become: become, spawn: { try Spawn.run(BootedHosts.tool, ["exec", name] + $0) })
  }

  /// The same host and user with another directory.
  func with(root: String) -> HostTarget {
    HostTarget(
      name: name, inventory: inventory, root: root, owner: owner, group: group, become: become,
      spawn: spawn)
  }

  /// The same booted host reached as the unprivileged `deploy` user, plays with `become`.
  func asDeployWithBecome() throws -> HostTarget {
    let json = try BootedHosts.run(["inventory", "--user", "deploy", name])
    let inventory = try InventoryLoader.load(Data(json.utf8), file: "testhost-inventory.json")
    return .booted(name, inventory: inventory, root: root, become: true)
  }

  // MARK: Looking at the host (never through the code under test)

  struct ExecFailed: Error, CustomStringConvertible {
    var arguments: [String]
    var output: Spawn.Output
    var description: String {
      "\(arguments.joined(separator: " ")) exited \(output.status): \(output.stdout)\(output.stderr)"
    }
  }

  /// Runs argv on the host and returns its stdout; throws when it exits non-zero.
  @discardableResult
  func exec(_ arguments: [String]) throws -> String {
    let output = try spawn(arguments)
    guard output.status == 0 else { throw ExecFailed(arguments: arguments, output: output) }
    return output.stdout
  }

  /// Runs argv on the host and returns its exit status.
  func status(_ arguments: [String]) throws -> Int32 { try spawn(arguments).status }

  /// Runs a fixed `sh` script with arguments on the host.
  @discardableResult
  func sh(_ script: String, _ arguments: String...) throws -> String {
    try exec(["sh", "-c", script, "sh"] + arguments)
  }

  /// A file's bytes as text.
  func text(_ path: String) throws -> String { try exec(["cat", "--", path]) }

  /// `mode owner:group kind` of a path, as `stat` prints them (`640 deploy:deploy regular file`).
  func stat(_ path: String) throws -> String {
    try exec(["stat", "-c", "%a %U:%G %F", "--", path]).trimmingCharacters(in: .newlines)
  }

  func exists(_ path: String) throws -> Bool { try status(["test", "-e", path]) == 0 }

  /// Everything that proves a host unchanged: for each path (recursively) its kind, mode,
  /// owner, size, modification time and link target, and the sha256 of every file; for each
  /// unit its load, active and enablement state, start time and main PID.
  func fingerprint(_ paths: [String], units: [String] = []) throws -> String {
    var text = try exec(["sh", "-c", Self.fingerprintScript, "sh"] + paths)
    if !units.isEmpty {
      text += try exec(
        [
          "systemctl", "show",
          "--property=Id,LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload,"
            + "ActiveEnterTimestampMonotonic,InactiveEnterTimestampMonotonic,MainPID",
          "--",
        ] + units)
    }
    return text
  }

  /// `find` prints `%T@` with nanoseconds, so even a rewrite with the same bytes shows.
  private static let fingerprintScript = """
    for p do
      if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo "absent $p"; continue; fi
      find "$p" -printf '%p %y %m %U:%G %s %T@ %l\\n' | LC_ALL=C sort
      find "$p" -type f -exec sha256sum -- {} + | LC_ALL=C sort
    done
    """

  // MARK: Running plays

  /// Runs one play of `tasks` and `handlers` (playbook JSON, see `task`) on this host, with
  /// `owner`, `group`, `root` and `vars` as play variables; `templates` are the playbook's
  /// template files, `files` those `copy` copies.
  func run(
    _ tasks: [JSONValue], handlers: [JSONValue] = [], vars: [String: JSONValue] = [:],
    checkMode: Bool = false, templates: [String: String] = [:], files: [String: String] = [:]
  ) async throws -> HostRun {
    var variables = vars
    variables["root"] = .string(root)
    variables["owner"] = .string(owner)
    variables["group"] = .string(group)
    let play: JSONValue = [
      "name": .string("modules on \(name)"), "hosts": .string(name), "become": .bool(become),
      "vars": .object(variables), "tasks": .array(tasks), "handlers": .array(handlers),
    ]
    let playbook = try PlaybookLoader(modules: try ModuleRegistry(StandardModules.all))
      .load(Data(JSONValue.array([play]).prettyJSON().utf8), file: "hosts.json")
    let runner = PlaybookRunner(
      options: RunOptions(
        checkMode: checkMode, diff: true, templates: InMemoryTemplates(files: templates),
        files: InMemoryPlaybookFiles(files: files)),
      roles: try RoleRegistry([]), connections: StandardConnectionFactory())
    let prepared = try runner.prepare(playbook, inventory: inventory)
    let sink = RecordingSink()
    let recap = await runner.run(prepared.plays, reportingTo: sink)
    return HostRun(host: name, recap: recap, sink: sink)
  }

  private static func name(ofUser id: uid_t) -> String {
    guard let entry = getpwuid(id) else { return String(id) }
    return String(cString: entry.pointee.pw_name)
  }

  private static func name(ofGroup id: gid_t) -> String {
    guard let entry = getgrgid(id) else { return String(id) }
    return String(cString: entry.pointee.gr_name)
  }
}

/// What one run of a play did on the host, from the recorded events.
struct HostRun: Sendable {
  let host: String
  let recap: PlayRecap
  let sink: RecordingSink

  /// The host's counters; a recap without the host fails the test instead of reading zeros.
  var stats: HostStats {
    guard let stats = recap.stats[host] else {
      Issue.record("the recap has no line for '\(host)' (hosts: \(recap.stats.keys.sorted()))")
      return HostStats()
    }
    return stats
  }
  var changed: Int { stats.changed }
  var failed: Int { stats.failed }

  /// The result of the step (or handler) named so; a step that did not run on the host (a
  /// misspelt name too) fails the test rather than reading as an empty result.
  func result(_ step: String) -> StepResult {
    guard let result = sink.results(of: step)[host] else {
      Issue.record("no result of '\(step)' on '\(host)'")
      return StepResult()
    }
    return result
  }

  /// Step names with the status they ended in, in order (`config: changed`).
  var outcomes: [String] {
    sink.all.compactMap { event in
      guard case .hostResult(let host, let step, let result) = event, host == self.host else {
        return nil
      }
      return "\(step.displayName): \(result.status.rawValue)"
    }
  }

  /// Names of the steps that changed (or would change in check mode), handlers included.
  var changedSteps: [String] {
    sink.all.compactMap { event in
      guard case .hostResult(let host, let step, let result) = event, host == self.host,
        result.changed, !result.failed
      else { return nil }
      return step.displayName
    }
  }

  /// Every failure message, for test output.
  var failures: String {
    sink.all.compactMap { event in
      guard case .hostResult(let host, let step, let result) = event, host == self.host,
        result.failed || result.unreachable
      else { return nil }
      return "\(step.displayName): \(result.message ?? "")"
    }.joined(separator: "\n")
  }
}

/// One task of a playbook, as JSON: `{"name": …, "<module>": {args}, "notify": …}`.
func task(
  _ name: String, _ module: String, _ arguments: [String: JSONValue], notify: String? = nil,
  register: String? = nil
) -> JSONValue {
  var object: [String: JSONValue] = ["name": .string(name), module: .object(arguments)]
  if let notify { object["notify"] = .string(notify) }
  if let register { object["register"] = .string(register) }
  return .object(object)
}

extension HostTarget {
  /// Boots a fresh test host (`clean`, then `up`; with `images`, also the stand-in images and
  /// the in-host registry they are pushed to) and returns it with files under `root`.
  static func boot(_ name: String, root: String, images: Bool = false) throws -> HostTarget {
    BootedHosts.clean([name])
    let inventory = try BootedHosts.up([name])
    if images { try BootedHosts.run(["images", name]) }
    return .booted(name, inventory: inventory, root: root)
  }
}

extension HostTarget {
  /// One property of a unit as `systemctl show` prints it (`ActiveState` → `active`).
  func unit(_ name: String, _ property: String) throws -> String {
    try exec(["systemctl", "show", "--property=\(property)", "--value", "--", name])
      .trimmingCharacters(in: .newlines)
  }

  /// The names of the running containers whose name starts with `prefix`, sorted.
  func runningContainers(_ prefix: String) throws -> [String] {
    try exec(["podman", "ps", "--format", "{{.Names}}"]).split(separator: "\n")
      .map(String.init).filter { $0.hasPrefix(prefix) }.sorted()
  }
}

extension HostTarget {
  /// A container running on booted host `host` (Debian's own tree as its root, written to an
  /// overlay: `--rootfs /:O`), reached through runner's `podman` transport. The podman it runs
  /// is the host's real one: `podman_executable` is a script that enters the host
  /// (`testhost exec`) and runs podman there, as the host's own shell would.
  static func podmanContainer(
    _ container: String, on host: String, root: String
  ) throws -> HostTarget {
    _ = try? BootedHosts.exec(host, ["podman", "rm", "-f", "-t", "0", container])
    try BootedHosts.exec(
      host,
      [
        "podman", "run", "-d", "--name", container, "--rootfs", "/:O", "/bin/sleep", "3600",
      ])
    let wrapper = FileManager.default.temporaryDirectory
      .appendingPathComponent("runner-podman-\(host)-\(getpid())").path
    try Data("#!/bin/sh\nexec '\(BootedHosts.tool)' exec '\(host)' podman \"$@\"\n".utf8)
      .write(to: URL(fileURLWithPath: wrapper))
    chmod(wrapper, 0o755)
    let json: JSONValue = .object([
      "hosts": .object([
        container: ["connection": "podman", "podman_executable": .string(wrapper)]
      ])
    ])
    let inventory = try InventoryLoader.load(
      Data(json.prettyJSON().utf8), file: "podman-inventory.json")
    return HostTarget(
      name: container, inventory: inventory, root: root, owner: "deploy", group: "deploy",
      spawn: { try Spawn.run(BootedHosts.tool, ["exec", host, "podman", "exec", container] + $0) })
  }
}
