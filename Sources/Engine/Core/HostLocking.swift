/// A connection that can take the host's run lock: two runs on one host at once would each
/// plan from a state the other is changing (one scales to 4 while the other writes a backend
/// of 2). Discovered with `as? any HostLocking`; a connection without it is not locked.
public protocol HostLocking: Connection {
  /// Takes the lock, trying for up to `timeout` seconds; `busy` is called once when another
  /// run holds it, so the run can say why it waits. Throws `HostLockTimeout` when the time is
  /// up. Another host of the same run (`run`) on the same machine shares the lock it holds.
  func lock(
    _ mode: HostLockMode, run: String, timeout: Int, busy: @escaping @Sendable () async -> Void
  ) async throws -> any HeldHostLock
}

/// A run that changes hosts takes the lock exclusively; a `--check` run takes it shared, so
/// checks run side by side but never beside a run that changes the host.
public enum HostLockMode: Sendable, Hashable {
  case shared, exclusive
}

/// The lock while held; released by `release()`, or by the host when this process ends (the
/// connection carrying it drops), so a killed run never leaves a host locked.
public protocol HeldHostLock: Sendable {
  func release() async
}

/// Another run held the host's lock for longer than the run would wait.
public struct HostLockTimeout: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var seconds: Int
  public init(path: String, seconds: Int) {
    self.path = path
    self.seconds = seconds
  }
  public var description: String {
    "another run holds the host's run lock (\(path)); gave up after \(seconds) s "
      + "(hint: wait for it to end, or give --lock-timeout SECONDS to wait longer)"
  }
}
