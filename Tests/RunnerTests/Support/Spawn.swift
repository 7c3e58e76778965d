import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program for a test with its output going to files, waiting with `waitpid`.
///
/// Not Foundation's `Process`: on Linux it learns that a child exited through a socket the
/// child inherits, and the programs tests start leave daemons behind (an ssh `ControlPersist`
/// master, a booted host's `systemd-nspawn`) that keep it open, so the wait never ends. Files
/// instead of pipes, for the same reason: a daemon holding a pipe would block reading to EOF.
enum Spawn {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// A settings file with no settings, written once per test process.
  static let neutralRunnerConfig: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "runner-test-config-\(getpid()).json"
    ).path
    _ = FileManager.default.createFile(atPath: path, contents: Data("{}".utf8))
    return path
  }()

  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:]
  ) throws -> Output {
    try start(executable, arguments, environment: environment).wait()
  }

  /// A program started in the background; its output can be read while it runs.
  final class Running: Sendable {
    let pid: pid_t
    let scratch: URL
    /// The wait status once reaped (by `isRunning` or `wait`).
    private let reaped = Mutex<Int32?>(nil)
    var stdoutPath: String { scratch.appendingPathComponent("out").path }
    var stderrPath: String { scratch.appendingPathComponent("err").path }

    init(pid: pid_t, scratch: URL) {
      self.pid = pid
      self.scratch = scratch
    }

    /// What it printed on stdout so far.
    var stdoutSoFar: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Whether it still runs. Not `kill(pid, 0)`: that succeeds on a zombie, an exited
    /// child nobody reaped yet, so a loop waiting on it would never see the end.
    var isRunning: Bool {
      reaped.withLock { reaped in
        guard reaped == nil else { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        reaped = status
        return false
      }
    }

    func wait() -> Output {
      var status: Int32 = reaped.withLock { $0 } ?? 0
      if reaped.withLock({ $0 }) == nil {
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
      }
      let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      defer { try? FileManager.default.removeItem(at: scratch) }
      return Output(
        status: exitStatus, stdout: stdoutSoFar,
        stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
    }
  }

  /// `ownProcessGroup`: the child leads a process group of its own, as a shell's job does;
  /// a signal sent to `-pid` then reaches it and every child it did not move elsewhere.
  static func start(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    ownProcessGroup: Bool = false
  ) throws -> Running {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("spawn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let out = scratch.appendingPathComponent("out").path
    let err = scratch.appendingPathComponent("err").path

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    // runner's settings file: an empty one unless a test gives its own, so that a
    // ./runner.json left by scripts/demo (or ~/.runner.json) never changes a test's run
    let merged = ProcessInfo.processInfo.environment.merging(
      ["RUNNER_CONFIG": Self.neutralRunnerConfig].merging(environment) { _, new in new }
    ) { _, new in new }
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    if ownProcessGroup {
      posix_spawnattr_setpgroup(&attributes, 0)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawned == 0 else {
      try? FileManager.default.removeItem(at: scratch)
      throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable])
    }
    return Running(pid: pid, scratch: scratch)
  }
}
