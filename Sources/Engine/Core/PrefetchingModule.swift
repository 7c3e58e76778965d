/// A module that can say before planning which reads its plan will make, so the engine can
/// prefetch them: ask them all in one round trip per host. Optional: a module without it
/// still works, it just reads when it plans. Discovered with `as? any PrefetchingModule`.
public protocol PrefetchingModule: Module {
  func reads(for host: InventoryHost) -> [HostRead]
}
