public import Engine
public import Foundation

extension PodmanImagePresence: MergeableFact {
  public var merger: PodmanImageMerger { PodmanImageMerger() }
}

/// Every image a prefetch looks for as one `podman image inspect`: a line (the image id) per
/// image found, in the order asked; an image not in storage is named on standard error
/// (`REF: image not known`) and the call exits with 125. Podman resolves each reference as
/// `podman image exists` does, so the answer is the same as one call per image.
public struct PodmanImageMerger: FactMerger {
  public init() {}

  public func command(answering facts: [any MergeableFact]) -> Command {
    let references = facts.compactMap { ($0 as? PodmanImagePresence)?.reference }
    return Command(["podman", "image", "inspect", "--format", "{{.Id}}", "--"] + references)
  }

  public func split(_ output: CommandOutput, answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    guard output.exitCode == 0 || output.exitCode == 125 else { return [] }
    let errors = Set(
      output.stderr.split(separator: "\n").map {
        $0.hasPrefix("Error: ") ? String($0.dropFirst("Error: ".count)) : String($0)
      })
    var ids = output.stdout.split(separator: "\n").makeIterator()
    var outputs: [CommandOutput?] = []
    var unexplained = errors
    for fact in facts {
      guard let reference = (fact as? PodmanImagePresence)?.reference else { return [] }
      let absent = "\(reference): image not known"
      if errors.contains(absent) {
        unexplained.remove(absent)
        outputs.append(CommandOutput(exitCode: 1, stdout: ""))
      } else if ids.next() != nil {
        outputs.append(CommandOutput(exitCode: 0, stdout: ""))
      } else {
        return []
      }
    }
    // Every line accounted for: an id left over or another error means the order is unknown.
    guard ids.next() == nil, unexplained.isEmpty else { return [] }
    return outputs
  }
}

/// Rootful Podman's image lists answer presence without a `podman` process (`PodmanStorage`).
extension PodmanImageMerger: FileAnsweredMerger {
  public func files(answering facts: [any MergeableFact], on host: InventoryHost) -> [HostPath]? {
    PodmanStorage.runsAsRoot(host) ? PodmanStorage.imageFiles : nil
  }

  public func split(files: [HostPath: Data?], answering facts: [any MergeableFact])
    -> [CommandOutput?]
  {
    let names = PodmanStorage.imageNames(files)
    return facts.map { fact in
      guard let names, let reference = (fact as? PodmanImagePresence)?.reference,
        let stored = PodmanStorage.storedName(of: reference)
      else { return nil }
      return CommandOutput(exitCode: names.contains(stored) ? 0 : 1, stdout: "")
    }
  }
}
