public import Engine
public import Foundation

extension PodmanSecretData: MergeableFact {
  public var merger: PodmanSecretMerger { PodmanSecretMerger() }
}

/// Every secret a prefetch reads as one `podman secret inspect`: a line per secret found, its
/// name and its bytes in hex (Go's `printf "%x"`: any bytes, on one line), in the order asked;
/// a secret that does not exist is named on standard error and the call exits with 125.
public struct PodmanSecretMerger: FactMerger {
  public init() {}

  public func command(answering facts: [any MergeableFact]) -> Command {
    let names = facts.compactMap { ($0 as? PodmanSecretData)?.name }
    return Command(
      [
        "podman", "secret", "inspect", "--showsecret", "--format",
        "{{.Spec.Name}} {{printf \"%x\" .SecretData}}", "--",
      ]
        + names)
  }

  public func split(_ output: CommandOutput, answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    guard output.exitCode == 0 || output.exitCode == 125 else { return [] }
    var found: [String: Data] = [:]
    for line in output.stdout.split(separator: "\n") {
      let fields = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
      guard fields.count == 2, let data = Data(hex: fields[1]) else { return [] }
      found[String(fields[0])] = data
    }
    let missing = output.stderr.split(separator: "\n").map(String.init)
    return facts.map { fact -> CommandOutput? in
      guard let name = (fact as? PodmanSecretData)?.name else { return nil }
      if let data = found[name] { return PodmanSecretMerger.present(data) }
      guard missing.contains(where: { $0.hasSuffix(PodmanSecretMerger.absence(name)) }) else {
        return nil
      }
      return PodmanSecretMerger.absent(name)
    }
  }

  /// How podman names a secret it does not have.
  static func absence(_ name: String) -> String {
    "no secret with name or id \"\(name)\": no such secret"
  }

  /// What `podman secret inspect --format {{.SecretData}}` prints for a secret holding
  /// `data`: the bytes, and the newline its template output adds.
  static func present(_ data: Data) -> CommandOutput {
    CommandOutput(exitCode: 0, standardOutput: data + Data("\n".utf8))
  }

  /// What `podman secret inspect` prints for a secret it does not have.
  static func absent(_ name: String) -> CommandOutput {
    CommandOutput(
      exitCode: 125, stdout: "", stderr: "Error: inspecting secret: \(absence(name))\n")
  }
}

extension Data {
  /// Bytes from lowercase or uppercase hex digits; nil for anything else or an odd count.
  init?(hex: Substring) {
    guard hex.count.isMultiple(of: 2) else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(hex.count / 2)
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    self.init(bytes)
  }
}

/// The file driver's own files answer what each secret holds without a `podman` process
/// (`PodmanStorage`).
extension PodmanSecretMerger: FileAnsweredMerger {
  public func files(answering facts: [any MergeableFact], on host: InventoryHost) -> [HostPath]? {
    PodmanStorage.runsAsRoot(host) ? PodmanStorage.secretFiles : nil
  }

  public func split(files: [HostPath: Data?], answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    let stored = PodmanStorage.secretData(files)
    return facts.map { fact in
      guard let stored, let name = (fact as? PodmanSecretData)?.name else { return nil }
      return stored[name].map(PodmanSecretMerger.present) ?? PodmanSecretMerger.absent(name)
    }
  }
}
