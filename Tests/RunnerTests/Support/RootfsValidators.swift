import Foundation

/// The real validators of the test hosts' Debian trixie rootfs, run offline by
/// `scripts/testhost/testhost validate`: `quadlet -dryrun` then `systemd-analyze verify` on the
/// generated services, `systemd-analyze verify` on unit files, `haproxy -c` on configs. Only
/// root and the built rootfs are needed, no booted host. Spawned without Foundation's `Process`.
enum RootfsValidators {
  static var available: Bool {
    let root =
      ProcessInfo.processInfo.environment["RUNNER_TESTHOST_ROOT"] ?? "/var/tmp/runner-testhost"
    return getuid() == 0 && FileManager.default.isExecutableFile(atPath: BootedHosts.tool)
      && FileManager.default.fileExists(atPath: root + "/rootfs/usr/libexec/podman/quadlet")
  }

  /// What a validator said: exit status 0 valid, 1 invalid (2 is a setup error), and its
  /// messages (stderr).
  struct Verdict: CustomStringConvertible {
    var status: Int32
    var messages: String
    var isValid: Bool { status == 0 }
    var description: String { "exit \(status): \(messages)" }
  }

  /// `testhost validate quadlet [--with SRC:DST]... DIR` on `files` (name → text; a text
  /// starting with `->` makes a symlink to the rest, as instance links are made).
  static func quadlet(_ files: [String: String], with extra: [String: String] = [:]) throws
    -> Verdict
  {
    let directory = try TemporaryDirectory()
    for (name, text) in files {
      let path = directory.path(name)
      if text.hasPrefix("->") {
        try FileManager.default.createSymbolicLink(
          atPath: path, withDestinationPath: String(text.dropFirst(2)))
      } else {
        try directory.write(name, text)
      }
    }
    let referenced = try TemporaryDirectory()
    return try validate(["quadlet"] + withOptions(extra, in: referenced) + [directory.url.path])
  }

  /// `testhost validate unit FILE...` on unit files (name → text).
  static func units(_ files: [String: String]) throws -> Verdict {
    let directory = try TemporaryDirectory()
    let paths = try files.keys.sorted().map { try directory.write($0, files[$0] ?? "").path }
    return try validate(["unit"] + paths)
  }

  /// `testhost validate haproxy [--zero-warning] FILE...` on configs, in this order.
  static func haproxy(_ files: [(name: String, text: String)], zeroWarning: Bool = false) throws
    -> Verdict
  {
    let directory = try TemporaryDirectory()
    let paths = try files.map { try directory.write($0.name, $0.text).path }
    return try validate(["haproxy"] + (zeroWarning ? ["--zero-warning"] : []) + paths)
  }

  /// Files a config refers to, copied into the throw-away root (`--with SRC:DST`).
  private static func withOptions(
    _ extra: [String: String], in directory: TemporaryDirectory
  ) throws -> [String] {
    try extra.keys.sorted().flatMap { destination -> [String] in
      let source = try directory.write(
        destination.replacingOccurrences(of: "/", with: "_"), extra[destination] ?? "")
      return ["--with", "\(source.path):\(destination)"]
    }
  }

  private static func validate(_ arguments: [String]) throws -> Verdict {
    let output = try Spawn.run(BootedHosts.tool, ["validate"] + arguments)
    return Verdict(status: output.status, messages: output.stderr)
  }
}
