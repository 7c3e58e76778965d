import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A bounded load through HAProxy while a test changes the deployment: `workers` loops of
/// `curl` (a new connection each, 2 s timeout each), each status line kept in a file; the loop
/// stops when told, or by itself after `limit` seconds. Counts requests and failures (any
/// status other than 200, a timeout being `000`).
final class RequestLoop: Sendable {
  let directory: TemporaryDirectory
  let running: Spawn.Running
  static let limit = 600

  init(url: String, workers: Int = 4) throws {
    directory = try TemporaryDirectory()
    let script = """
      for w in $(seq \(workers)); do
        while [ ! -e "$1/stop" ] && [ $SECONDS -lt \(Self.limit) ]; do
          curl -s -o /dev/null -m 2 -w '%{http_code}\\n' "$2" >>"$1/status.$w"
        done &
      done
      wait
      """
    running = try Spawn.start("/bin/bash", ["-c", script, "loop", directory.url.path, url])
  }

  /// Every status seen so far.
  var statuses: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []
    return names.filter { $0.hasPrefix("status.") }.flatMap { name in
      ((try? String(contentsOfFile: directory.path(name), encoding: .utf8)) ?? "")
        .split(separator: "\n").map(String.init)
    }
  }

  /// Waits until `count` requests were made (or the loop's own limit ran out).
  func wait(forRequests count: Int) {
    while statuses.count < count && running.isRunning { usleep(100_000) }
  }

  /// Stops the loop and returns how many requests it made, how many failed, and how often
  /// each failing status was seen.
  func stop() -> (requests: Int, failed: Int, failures: [String: Int]) {
    _ = FileManager.default.createFile(atPath: directory.path("stop"), contents: nil)
    _ = running.wait()
    let failing = statuses.filter { $0 != "200" }
    return (statuses.count, failing.count, Dictionary(failing.map { ($0, 1) }, uniquingKeysWith: +))
  }
}
