public import Foundation

/// A read-only question a plan will ask a host: a file's bytes, a command's output, or a
/// fact of a kind the engine merges with the others of its kind (`MergeableFact`). Modules
/// declare their reads (`PrefetchingModule`) so the engine can prefetch them.
public enum HostRead: Sendable, Hashable {
  case file(HostPath)
  case command(Command)
  /// Answered by the fact's own command when a connection is asked it alone.
  case fact(MergeableRead)

  public static func fact(_ fact: some MergeableFact) -> HostRead { .fact(MergeableRead(fact)) }

  /// What a connection runs to answer this read on its own; nil for a file.
  public var command: Command? {
    switch self {
    case .file: nil
    case .command(let command): command
    case .fact(let read): read.command
    }
  }

  var mergeableRead: MergeableRead? {
    if case .fact(let read) = self { return read }
    return nil
  }
}

/// The answer to a `HostRead`.
public enum ReadAnswer: Sendable, Hashable {
  case file(Data?)
  case command(CommandOutput)
}
