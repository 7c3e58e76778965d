import Foundation

/// How the facts of one kind are asked together and told apart again.
public protocol FactMerger: Hashable, Sendable {
  /// One command answering every fact given, all of this merger's kind.
  func command(answering facts: [any MergeableFact]) -> Command
  /// What each fact's own command would have printed, in order; nil where the merged output
  /// cannot tell (that fact's step then reads it on its own).
  func split(_ output: CommandOutput, answering facts: [any MergeableFact]) -> [CommandOutput?]
}
