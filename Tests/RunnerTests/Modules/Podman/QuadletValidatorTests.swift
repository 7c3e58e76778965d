import Foundation
import Modules
import Testing

extension Tag {
  /// Tests that run the real quadlet and systemd-analyze of the test-host rootfs.
  @Tag static var quadletValidator: Self
}

/// Renders units with the typed values and passes them through the test hosts' validators
/// (`scripts/testhost/testhost validate quadlet DIR`: quadlet 5.4.2 `-dryrun`, then
/// `systemd-analyze verify` of systemd 257 on the generated services, strict about warnings).
@Suite(
  .tags(.quadletValidator),
  .enabled(
    if: QuadletValidator.isAvailable,
    "needs root and the test-host rootfs (build it with `scripts/testhost/testhost rootfs`)"))
struct QuadletValidatorTests {
  typealias Fixtures = QuadletFixtures

  @Test func `every unit kind renders to files quadlet and systemd accept`() throws {
    let hostile = QuadletUnit(
      .container(
        QuadletContainer(image: "localhost/x:latest") {
          $0.containerName = "fx-%i"
          $0.environment = ["GREETING": "hello world", "QUOTE": "say \"x\""]
          $0.exec = QuadletCommand(Fixtures.hostileArguments)
          $0.healthCmd = .exec(["sh", "-c", "test \"$HOME\" = / && echo 100%"])
          $0.label = ["instance": "%i"]
          $0.podmanArgs = ["--log-opt", "tag=a b"]
        }))
    let result = try QuadletValidator.validate([
      "dci-api@.container": try Fixtures.dciAPI.text(),
      "quadlet.network": try Fixtures.network.text(),
      "dci-api.image": try Fixtures.image.text(),
      "dci-data.volume": try Fixtures.volume.text(),
      "fx@.container": try hostile.text(),
    ])
    #expect(result.exitCode == 0, "\(result.messages)")
  }

  @Test func `a key podman 5.4 does not know makes quadlet reject the file`() throws {
    let result = try QuadletValidator.validate([
      "web.container": "[Container]\nImage=localhost/x:latest\nMemory=64m\n"
    ])
    #expect(result.exitCode == 1)
    #expect(result.messages.contains("unsupported key 'Memory'"))
  }

  @Test func `a value systemd cannot parse is rejected`() throws {
    let result = try QuadletValidator.validate([
      "web.container": "[Container]\nImage=localhost/x:latest\n\n[Service]\nRestart=sometimes\n"
    ])
    #expect(result.exitCode == 1)
    #expect(result.messages.contains("Restart"))
  }

  @Test func `every key in the supported lists is one quadlet 5.4 accepts`() throws {
    var files: [String: String] = [:]
    let lists: [(String, Set<String>)] = [
      ("container", QuadletContainer.supportedKeys), ("image", QuadletImage.supportedKeys),
      ("network", QuadletNetwork.supportedKeys), ("volume", QuadletVolume.supportedKeys),
    ]
    for (kind, keys) in lists {
      let lines = keys.sorted().map { "\($0)=x" }.joined(separator: "\n")
      files["all.\(kind)"] = "[\(kind.prefix(1).uppercased() + kind.dropFirst())]\n\(lines)\n"
    }
    // The dummy values make some conversions fail; what matters is that no key is unknown.
    let result = try QuadletValidator.validate(files)
    #expect(!result.messages.contains("unsupported key"), "\(result.messages)")
  }
}

/// Runs `scripts/testhost/testhost validate quadlet` on files written to a temp directory.
enum QuadletValidator {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let script = repository.appendingPathComponent("scripts/testhost/testhost")

  static var isAvailable: Bool {
    let root =
      ProcessInfo.processInfo.environment["RUNNER_TESTHOST_ROOT"] ?? "/var/tmp/runner-testhost"
    return geteuid() == 0
      && FileManager.default.isExecutableFile(atPath: script.path)
      && FileManager.default.fileExists(atPath: root + "/rootfs/usr/libexec/podman/quadlet")
  }

  struct Result {
    var exitCode: Int32
    /// The validators' messages (stderr).
    var messages: String
  }

  static func validate(_ files: [String: String]) throws -> Result {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("quadlet-validate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, text) in files {
      try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script.path, "validate", "quadlet", directory.path]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      exitCode: process.terminationStatus, messages: String(decoding: data, as: UTF8.self))
  }
}
