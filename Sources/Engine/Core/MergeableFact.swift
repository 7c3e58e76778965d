import Foundation

/// A fact of a kind that one host process answers for many at once: one `stat` for every
/// path, one `systemctl show` for every unit, one `podman` call for every image. Processes
/// are what an unchanged host spends its time on, so a prefetch merges the facts of one
/// kind that a play's steps declare, runs the merged command once, and splits its output into
/// what each fact's own command would have printed: plans read those from the cache as if
/// each had run alone, and a fact the merged output cannot speak for is read on its own.
public protocol MergeableFact: Fact {
  associatedtype Merger: FactMerger
  /// Facts whose mergers are equal merge (one kind, with the same scope or options).
  var merger: Merger { get }
}

/// A mergeable fact as a `HostRead` carries it: known by its own command, the question it asks.
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
