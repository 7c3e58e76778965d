import Foundation

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

  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:]
  ) throws -> Output {
    try start(executable, arguments, environment: environment).wait()
  }

  /// A program started in the background; its output can be read while it runs.
  final class Running: Sendable {
    let pid: pid_t
    let scratch: URL
    var stdoutPath: String { scratch.appendingPathComponent("out").path }
    var stderrPath: String { scratch.appendingPathComponent("err").path }

    init(pid: pid_t, scratch: URL) {
      self.pid = pid
      self.scratch = scratch
    }

    /// What it printed on stdout so far.
    var stdoutSoFar: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    func wait() -> Output {
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
      let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      defer { try? FileManager.default.removeItem(at: scratch) }
      return Output(
        status: exitStatus, stdout: stdoutSoFar,
        stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
    }
  }

  static func start(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:]
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
    let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }

    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else {
      try? FileManager.default.removeItem(at: scratch)
      throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable])
    }
    return Running(pid: pid, scratch: scratch)
  }
}
