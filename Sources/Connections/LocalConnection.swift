public import Engine
public import Foundation

/// This machine as a host. Commands run from their argv (no shell); files are read and
/// written directly, writes atomically (see `LocalFileWriter`). With `become`, everything goes
/// through `sudo -n` instead: commands, and the same fixed scripts ssh hosts use for files.
///
/// It answers a prefetch concurrently (`PrefetchingConnection`): an unchanged play is read in
/// the time of its slowest read. Without `become`, a read is no round trip, so the engine
/// asks ahead only once per play; with it, every read is a `sudo` run, as over ssh.
public struct LocalConnection: Connection, PrefetchingConnection, RoundTripCounting, HostLocking {
  private let privileged: ScriptedHost<SudoChannel>?
  private let counter: RoundTripCounter
  private let runner = ProcessRunner()

  public init(settings: ConnectionSettings = .local) {
    let counter = RoundTripCounter()
    self.counter = counter
    privileged = Become(settings).map {
      ScriptedHost(channel: SudoChannel(become: $0, counter: counter))
    }
  }

  /// Operations carried out: one per command, read, write or batch of probes.
  public var roundTrips: Int { counter.value }

  public func run(_ command: Command) async throws -> CommandOutput {
    if let privileged { return try await privileged.run(command) }
    counter.increment()
    return try await runHere(command)
  }

  public func read(_ path: HostPath) async throws -> Data? {
    if let privileged { return try await privileged.read(path) }
    counter.increment()
    return try LocalFileReader.read(path)
  }

  public func write(_ file: FileWrite) async throws {
    if let privileged { return try await privileged.write(file) }
    counter.increment()
    try await LocalFileWriter(runner: runner).write(file)
  }

  /// How many probes are asked at once: enough to overlap, few enough that a batch of
  /// hundreds does not flood the machine with processes.
  static let concurrency = 32

  /// Answers probes concurrently, in order: on this machine a batch saves no round trip,
  /// only waiting.
  public func answer(_ reads: [HostRead]) async throws -> [ReadAnswer] {
    if let privileged { return try await privileged.answer(reads) }
    counter.increment()
    return try await withThrowingTaskGroup(of: (Int, ReadAnswer).self) { group in
      var answers = [ReadAnswer?](repeating: nil, count: reads.count)
      var next = 0
      while next < min(reads.count, Self.concurrency) {
        let index = next
        group.addTask { (index, try await answer(reads[index])) }
        next += 1
      }
      while let (index, answered) = try await group.next() {
        answers[index] = answered
        if next < reads.count {
          let index = next
          group.addTask { (index, try await answer(reads[index])) }
          next += 1
        }
      }
      return answers.compactMap { $0 }
    }
  }

  public var prefetchesAgainAfterChanges: Bool { privileged != nil }

  /// This machine's run lock, the same one an ssh run to it takes (`HostLockScript`).
  public func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock {
    if let privileged {
      return try await privileged.lock(mode, run: run, timeout: timeout, busy: busy)
    }
    counter.increment()
    let script = HostLockScript(mode: mode, run: run, timeout: timeout)
    return try await script.take(try HeldProcess(script.arguments), busy: busy)
  }

  private func answer(_ probe: HostRead) async throws -> ReadAnswer {
    switch probe {
    case .file(let path): .file(try LocalFileReader.read(path))
    case .command(let command): .command(try await runHere(command))
    case .fact(let read): .command(try await runHere(read.command))
    }
  }

  private func runHere(_ command: Command) async throws -> CommandOutput {
    try await runner.run(
      command.arguments, input: command.input, environment: command.environment,
      directory: command.directory)
  }
}

/// Runs an argv on this machine through `sudo -n`, for a local host with `become`.
struct SudoChannel: ArgvChannel {
  let become: Become
  let counter: RoundTripCounter
  let runner = ProcessRunner()

  func execute(_ arguments: [String], input: Data?) async throws -> CommandOutput {
    counter.increment()
    return try await runner.run(become.wrap(arguments), input: input)
  }

  func hold(_ arguments: [String]) throws -> HeldProcess {
    counter.increment()
    return try HeldProcess(become.wrap(arguments))
  }
}
