import Foundation

/// Facts of one kind asked as one command, or answered from files: which reads it answers
/// and how to tell them apart.
struct MergedRead {
  let reads: [MergeableRead]
  let command: Command
  /// The files that answer these reads instead of `command` (`FileAnsweredMerger`).
  let files: [HostPath]?
  private let splitter: @Sendable (CommandOutput) -> [CommandOutput?]
  private let fileSplitter: @Sendable ([HostPath: Data?]) -> [CommandOutput?]

  /// Groups `reads` by kind, in the order each kind first appears; a kind asked once keeps
  /// its own command (nothing to merge, nothing to split), unless files answer it.
  static func grouping(_ reads: [MergeableRead], on host: InventoryHost) -> [MergedRead] {
    var groups: [MergedRead] = []
    var taken = Set<Int>()
    for index in reads.indices where !taken.contains(index) {
      let group = reads[index].fact.group(in: reads, from: index, on: host)
      taken.formUnion(group.indices)
      groups.append(group.read)
    }
    return groups
  }

  fileprivate init(
    reads: [MergeableRead], command: Command, files: [HostPath]?,
    splitter: @escaping @Sendable (CommandOutput) -> [CommandOutput?],
    fileSplitter: @escaping @Sendable ([HostPath: Data?]) -> [CommandOutput?]
  ) {
    self.reads = reads
    self.command = command
    self.files = files
    self.splitter = splitter
    self.fileSplitter = fileSplitter
  }

  /// Each read's own output, in order; nil for those the merged output cannot tell.
  func split(_ output: CommandOutput) -> [CommandOutput?] {
    if reads.count == 1 { return [output] }
    return complete(splitter(output))
  }

  /// Each read's own output from the contents of `files`; nil for those they cannot tell.
  func split(files contents: [HostPath: Data?]) -> [CommandOutput?] {
    complete(fileSplitter(contents))
  }

  private func complete(_ outputs: [CommandOutput?]) -> [CommandOutput?] {
    outputs.count == reads.count ? outputs : Array(repeating: nil, count: reads.count)
  }
}

extension MergeableFact {
  /// The reads from `start` on whose merger equals this one's, merged.
  fileprivate func group(in reads: [MergeableRead], from start: Int, on host: InventoryHost)
    -> (indices: [Int], read: MergedRead)
  {
    let merger = self.merger
    let indices = reads.indices[start...].filter { (reads[$0].fact.merger as? Merger) == merger }
    let members = indices.map { reads[$0] }
    let facts = members.map(\.fact)
    let command = members.count == 1 ? self.command : merger.command(answering: facts)
    let answering = merger as? any FileAnsweredMerger
    return (
      indices,
      MergedRead(
        reads: members, command: command,
        files: answering?.files(answering: facts, on: host),
        splitter: { merger.split($0, answering: facts) },
        fileSplitter: { answering?.split(files: $0, answering: facts) ?? [] })
    )
  }
}
