import Engine
import Foundation

/// Takes the host's run lock with `flock(1)` and holds it for as long as its standard input
/// stays open: the lock lives in the host's kernel, tied to this session, so closing the
/// session (a release, runner's exit, kill -9, a dropped connection) frees it.
///
/// It prints one word a line: `busy` once when another run holds the lock (after a second
/// try, so another inventory name of this run that just took it, and has yet to write
/// `OWNER`, is not taken for another run), then `locked`
/// (held), `same` (this run holds it already, through another inventory name of the same
/// machine; recorded in `OWNER` by an exclusive holder) or `timeout`. The lock is polled five
/// times a second rather than waited on, so a holder of our own run is noticed. `/run/lock`
/// is writable by every user: a symbolic link planted there is refused, never followed.
///
/// Once it holds the lock, the same shell answers probe batches sent on its input
/// (`HeldBatches`) until the input closes: a batch then costs no new session, no `sudo` and
/// no login shell on the host, only the processes of its reads.
struct HostLockScript {
  static let path = "/run/lock/runner.lock"
  static let ownerPath = "/run/lock/runner.owner"

  let mode: HostLockMode
  let run: String
  let timeout: Int
  /// The lock file and its owner record (elsewhere only in tests).
  var lockFile = HostLockScript.path
  var ownerFile = HostLockScript.ownerPath

  static let script =
    HeldBatches.shellFunctions + """
      m=$1 w=$2 f=$3 o=$4 k=$5
      if [ -L "$f" ] || [ -L "$o" ]; then echo "$f or $o is a symbolic link" >&2; exit 3; fi
      : >>"$f" 2>/dev/null
      exec 9<"$f" || exit 3
      s=0
      until flock "$m" -n 9; do
        if [ -r "$o" ] && read -r h <"$o" && [ "$h" = "$k" ]; then
          echo same
          serve
        fi
        if [ "$s" -eq 1 ]; then echo busy; fi
        if [ "$s" -ge $((w * 5)) ]; then
          echo timeout
          exit 3
        fi
        sleep 0.2
        s=$((s + 1))
      done
      if [ "$m" = -x ]; then printf '%s\\n' "$k" 2>/dev/null >"$o"; fi
      echo locked
      serve
      """

  var arguments: [String] {
    [
      "sh", "-c", Self.script, "sh", mode == .exclusive ? "-x" : "-s", String(max(timeout, 0)),
      lockFile, ownerFile, run,
    ]
  }

  /// Waits for the script's verdict on a running session; the session is kept when it holds
  /// the lock, ended otherwise.
  func take(
    _ session: HeldProcess, busy: @escaping @Sendable () async -> Void
  ) async throws -> HeldProcess {
    while let line = await session.output.line() {
      switch line {
      case "busy": await busy()
      case "locked", "same": return session
      case "timeout":
        await session.end()
        throw HostLockTimeout(path: lockFile, seconds: timeout)
      default: continue
      }
    }
    let ended = await session.end()
    if let failure = session.failure(ended) { throw failure }
    let stderr = ended.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    throw ModuleError(
      "cannot take the host's run lock (\(lockFile)): exit status \(ended.exitCode)"
        + (stderr.isEmpty ? "" : ": \(stderr)"),
      hint: ended.exitCode == 127 ? "the host needs flock(1), from util-linux" : nil)
  }
}
