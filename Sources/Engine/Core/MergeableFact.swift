import Foundation

/// A fact of a kind that one host process answers for many at once: one `stat` for every
/// path, one `systemctl show` for every unit, one `podman` call for every image. Processes
/// are what an unchanged host spends its time on, so the probe batch merges the facts of one
/// kind that a play's steps declare, runs the merged command once, and splits its output into
/// what each fact's own command would have printed: plans read those from the cache as if
/// each had run alone, and a fact the merged output cannot speak for is read on its own.
public protocol MergeableFact: Fact {
  associatedtype Merger: FactMerger
  /// Facts whose mergers are equal merge (one kind, with the same scope or options).
  var merger: Merger { get }
}

/// How the facts of one kind are asked together and told apart again.
public protocol FactMerger: Hashable, Sendable {
  /// One command answering every fact given, all of this merger's kind.
  func command(answering facts: [any MergeableFact]) -> Command
  /// What each fact's own command would have printed, in order; nil where the merged output
  /// cannot tell (that fact's step then reads it on its own).
  func split(_ output: CommandOutput, answering facts: [any MergeableFact]) -> [CommandOutput?]
}

/// A mergeable fact as a probe carries it: known by its own command, the question it asks.
public struct MergeableRead: Sendable, Hashable {
  public let fact: any MergeableFact

  public init(_ fact: some MergeableFact) { self.fact = fact }

  /// The fact's own command: what a connection runs to answer it alone, and what the read
  /// cache keeps its answer under.
  public var command: Command { fact.command }

  public static func == (lhs: MergeableRead, rhs: MergeableRead) -> Bool {
    lhs.command == rhs.command
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(command) }
}

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
