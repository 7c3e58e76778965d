/// `serial:` — a count, a percentage, or a list whose last value repeats.
public enum Serial: Sendable, Hashable {
  case count(Int)
  case percent(Double)
  case steps([Serial])

  /// Splits hosts into batches.
  public func batches<T>(_ hosts: [T]) -> [[T]] {
    var sizes: [Int] = []
    var remaining = hosts.count
    var plan: [Serial] = if case .steps(let list) = self { list } else { [self] }
    while remaining > 0 {
      let next = plan.count > 1 ? plan.removeFirst() : (plan.first ?? .count(remaining))
      let size: Int
      switch next {
      case .count(let count): size = max(1, count)
      case .percent(let percent): size = max(1, Int(Double(hosts.count) * percent / 100))
      case .steps: size = remaining
      }
      sizes.append(min(size, remaining))
      remaining -= min(size, remaining)
    }
    var batches: [[T]] = []
    var start = 0
    for size in sizes {
      batches.append(Array(hosts[start..<start + size]))
      start += size
    }
    return batches
  }
}
