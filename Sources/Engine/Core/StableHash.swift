/// A short hash that is the same in every run and on every machine (Swift's `Hasher` is
/// seeded per process), for names that a later run must find again: the pending-handler
/// record of a play on a host, the ssh control socket of a set of connection settings.
/// FNV-1a, 64 bits: it tells such names apart, it is not a defence against forged ones.
public enum StableHash {
  /// 8 hex digits (32 bits) for `parts`; each part is ended by a NUL, so ("ab", "c") and
  /// ("a", "bc") differ.
  public static func hex8(_ parts: [String]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in parts {
      for byte in part.utf8 + [0] {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
      }
    }
    let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    let digits = String(folded, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }
}
