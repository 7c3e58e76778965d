public import Foundation

/// A read-only question a plan will ask a host: a file's bytes, a command's output, or a
/// fact of a kind the engine asks together with the others of its kind.
public enum Probe: Sendable, Hashable {
  case file(HostPath)
  case command(Command)
  /// Answered by the fact's own command when a connection is asked it alone.
  case fact(MergeableRead)

  public static func fact(_ fact: some MergeableFact) -> Probe { .fact(MergeableRead(fact)) }

  /// What a connection runs to answer this probe on its own; nil for a file.
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

/// The answer to a probe.
public enum ProbeAnswer: Sendable, Hashable {
  case file(Data?)
  case command(CommandOutput)
}

/// A module that can say before planning which reads its plan will make, so the engine can
/// ask them all in one round trip per host. Optional: a module without it still works, it
/// just reads when it plans. Discovered with `as? any PrefetchingModule`.
public protocol PrefetchingModule: Module {
  func probes(for host: InventoryHost) -> [Probe]
}

/// A connection that answers many probes in one round trip (ssh: one remote program).
/// Discovered with `as? any BatchReading`; otherwise the engine asks probe by probe.
public protocol BatchReading: Connection {
  func answer(_ probes: [Probe]) async throws -> [ProbeAnswer]
  /// Whether the engine should ask ahead again after each change (which empties the read
  /// cache): yes where every read is a round trip (ssh, sudo), no where a read only costs a
  /// local process, so that one batch for the rest of the play would cost more than the
  /// next steps' own reads.
  var batchesAgainAfterChanges: Bool { get }
}

/// Renders a template file of the playbook (`template: {src: …}`) on the machine running
/// `runner`; the CLI provides it, relative to the playbook's folder.
public protocol TemplateSource: Sendable {
  /// The template's text; throws when it cannot be read.
  func text(of source: String) throws -> String
}
