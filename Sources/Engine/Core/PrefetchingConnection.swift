/// A connection that answers many reads in one round trip (ssh: one remote program), so the
/// engine can prefetch. Discovered with `as? any PrefetchingConnection`; with any other
/// connection the engine does not prefetch, and each plan reads when it runs.
public protocol PrefetchingConnection: Connection {
  func answer(_ reads: [HostRead]) async throws -> [ReadAnswer]
  /// Whether the engine should prefetch again after each change (which empties the read
  /// cache): yes where every read is a round trip (ssh, sudo), no where a read only costs a
  /// local process, so that one prefetch for the rest of the play would cost more than the
  /// next steps' own reads.
  var prefetchesAgainAfterChanges: Bool { get }
}
