import Connections
import Engine
import Foundation

/// Where runner's settings file is, in the order ansible.cfg is looked for: `$RUNNER_CONFIG`
/// (which must exist when set), `./runner.json`, `~/.runner.json`, `/etc/runner/runner.json`.
/// The first that exists wins; none is fine (runner's defaults).
enum RunnerConfigLocator {
  static func candidates(environment: [String: String], home: String) -> [String] {
    var paths: [String] = []
    if let set = environment["RUNNER_CONFIG"], !set.isEmpty { paths.append(set) }
    paths.append(FileManager.default.currentDirectoryPath + "/runner.json")
    if home.hasPrefix("/") { paths.append((home == "/" ? "" : home) + "/.runner.json") }
    paths.append("/etc/runner/runner.json")
    return paths
  }

  static func load(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    home: String = FileManager.default.homeDirectoryForCurrentUser.path
  ) throws -> RunnerConfig {
    if let set = environment["RUNNER_CONFIG"], !set.isEmpty,
      !FileManager.default.fileExists(atPath: set)
    {
      throw DefinitionErrors([
        Diagnostic(at: SourceLocation(file: set), "RUNNER_CONFIG names a file that does not exist")
      ])
    }
    for path in candidates(environment: environment, home: home)
    where FileManager.default.fileExists(atPath: path) {
      return try RunnerConfig.load(
        PlaybookFiles.read(path, what: "settings"), file: path, transports: .standard)
    }
    return RunnerConfig()
  }
}
