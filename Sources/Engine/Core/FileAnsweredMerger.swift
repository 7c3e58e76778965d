public import Foundation

/// A merger whose facts the host's own state files can answer, read with the prefetch's other
/// files instead of by running the program that keeps them (Podman's storage metadata
/// instead of a `podman` process, ~35 ms of a host's time each). Optional: discovered with
/// `as? any FileAnsweredMerger`; where it declines, the merged command runs as before.
public protocol FileAnsweredMerger: FactMerger {
  /// The files that answer `facts` on `host`; nil where they cannot (the program may keep
  /// its state elsewhere for that user), and the merged command is asked instead.
  func files(answering facts: [any MergeableFact], on host: InventoryHost) -> [HostPath]?
  /// What each fact's own command would have printed, from the files' contents (nil for a
  /// file that does not exist), in order; nil where they cannot tell (that fact's step then
  /// reads it on its own).
  func split(files: [HostPath: Data?], answering facts: [any MergeableFact]) -> [CommandOutput?]
}
