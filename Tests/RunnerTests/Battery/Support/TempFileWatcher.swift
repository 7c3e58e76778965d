import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Watches a directory from its own thread while a write is under way, recording the mode and
/// size of every connection temp file (`.runner.*`) it catches: evidence of what another user
/// could have seen of a file while its content was being written.
final class TempFileWatcher: Sendable {
  struct Sighting: Hashable, Sendable {
    var mode: Int
    var size: Int
  }

  private let directory: String
  private let state = Mutex<(stop: Bool, sightings: [Sighting])>((false, []))
  private let finished = DispatchSemaphore(value: 0)

  init(directory: String) { self.directory = directory }

  func start() {
    let thread = Thread { [self] in
      while !state.withLock({ $0.stop }) { look() }
      finished.signal()
    }
    thread.start()
  }

  /// Stops watching and returns what was seen.
  func stop() -> [Sighting] {
    state.withLock { $0.stop = true }
    finished.wait()
    return state.withLock { $0.sightings }
  }

  private func look() {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    for name in names where name.hasPrefix(".runner.") {
      var status = stat()
      guard lstat(directory + "/" + name, &status) == 0 else { continue }
      let sighting = Sighting(mode: Int(status.st_mode & 0o7777), size: Int(status.st_size))
      state.withLock { $0.sightings.append(sighting) }
    }
  }
}
