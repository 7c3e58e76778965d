import Engine
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A child process started with `posix_spawn`, its three standard streams connected to
/// close-on-exec pipes (or stdin to `/dev/null`), signal dispositions and mask reset, in a
/// process group of its own.
struct SpawnedProcess: Sendable {
  let pid: pid_t
  /// The parent's ends: write to `standardInput` (nil: the child reads `/dev/null`), read the
  /// others. Each is closed by whoever finishes with it (`PipeIO`).
  let standardInput: Int32?
  let standardOutput: Int32
  let standardError: Int32

  init(
    executable: String, arguments: [String], environment: [String: String], directory: String?,
    hasInput: Bool
  ) throws {
    var parentEnds: [Int32] = []
    var childEnds: [Int32] = []
    defer {
      for descriptor in childEnds { close(descriptor) }
    }
    do {
      let input = hasInput ? try PipeIO.makePipe() : nil
      if let input { (parentEnds, childEnds) = ([input.write], [input.read]) }
      let output = try PipeIO.makePipe()
      parentEnds.append(output.read)
      childEnds.append(output.write)
      let error = try PipeIO.makePipe()
      parentEnds.append(error.read)
      childEnds.append(error.write)
      pid = try SpawnedProcess.spawn(
        executable, arguments: arguments, environment: environment, directory: directory,
        streams: (input?.read, output.write, error.write))
      standardInput = input?.write
      standardOutput = output.read
      standardError = error.read
    } catch {
      for descriptor in parentEnds { close(descriptor) }
      throw error
    }
  }

  /// `posix_spawn` with the child's stdin (nil: `/dev/null`), stdout and stderr.
  private static func spawn(
    _ executable: String, arguments: [String], environment: [String: String],
    directory: String?, streams: (input: Int32?, output: Int32, error: Int32)
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let input = streams.input {
      posix_spawn_file_actions_adddup2(&actions, input, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, streams.output, 1)
    posix_spawn_file_actions_adddup2(&actions, streams.error, 2)
    if let directory { _ = try GNUFunctions.addChangeDirectory(&actions, directory) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    // A process group of its own: a terminal's Ctrl-C goes to the whole foreground group, and
    // would kill the ssh client (or sudo) of the step in flight; runner alone decides what
    // an interrupt stops, after the current step.
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard result == 0 else {
      throw ModuleError("cannot run '\(executable)': \(SystemError.message(result))")
    }
    return pid
  }

  /// Blocks until the child exits: its exit status, or minus the signal that killed it (as
  /// Ansible reports it).
  func waitForExit() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return -1 }
    }
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : -signal
  }
}

/// Blocking pipe I/O on raw descriptors, run on dedicated threads so the cooperative pool
/// never blocks.
enum PipeIO {
  static func makePipe() throws -> (read: Int32, write: Int32) {
    var descriptors: [Int32] = [-1, -1]
    guard try GNUFunctions.closeOnExecPipe(&descriptors) == 0 else {
      throw ModuleError("cannot create a pipe: \(SystemError.message(errno))")
    }
    return (descriptors[0], descriptors[1])
  }

  /// Reads until end of file, then closes the descriptor.
  static func readAll(_ descriptor: Int32) -> Data {
    defer { close(descriptor) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        data.append(contentsOf: buffer[0..<count])
      } else if count == 0 || errno != EINTR {
        return data
      }
    }
  }

  /// Writes `data`, then closes the descriptor.
  static func send(_ data: Data, to descriptor: Int32) {
    defer { close(descriptor) }
    writeAll(data, to: descriptor)
  }

  /// Writes all of `data`; false when the reader is gone. SIGPIPE is blocked on this thread
  /// only (a program that exits without reading its input makes `write` fail with EPIPE
  /// instead of killing us); the process-wide signal disposition is left alone.
  @discardableResult
  static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
    var blocked = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &blocked, nil)
    return data.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return true }
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += written
      }
      return true
    }
  }
}
