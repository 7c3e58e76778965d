/// Lines up the per-host step lists of a section so the linear strategy can run them in
/// lockstep: step k starts on no host before step k-1 finished on all. A step a host does not
/// have (its role's `if` was false there) is reported as skipped on that host, which is what
/// Ansible's `when:` would have printed.
struct StepAlignment {
  /// One row of the merged list: the step as each host has it (hosts lacking it: absent).
  struct Row {
    var key: StepKey
    var steps: [Int: Step]

    /// The first host's version, for the banner.
    var representative: Step? {
      steps.keys.min().flatMap { steps[$0] }
    }
  }

  /// Identifies "the same step" across hosts: where it was defined, in which role, and which
  /// occurrence of that definition it is (a Swift `for` yields several from one line).
  struct StepKey: Hashable {
    var role: RoleName?
    var source: SourceLocation
    var name: String
    var occurrence: Int
  }

  /// Merges the lists (index = host position) into rows, keeping every host's order.
  static func align(_ lists: [[Step]]) -> [Row] {
    let keyed = lists.map(keys(of:))
    var merged: [StepKey] = []
    for list in keyed {
      merged = merge(merged, list.map(\.key))
    }
    var rows = merged.map { Row(key: $0, steps: [:]) }
    let index = Dictionary(uniqueKeysWithValues: merged.enumerated().map { ($1, $0) })
    for (host, list) in keyed.enumerated() {
      for (key, step) in list {
        if let row = index[key] { rows[row].steps[host] = step }
      }
    }
    return rows
  }

  private static func keys(of steps: [Step]) -> [(key: StepKey, step: Step)] {
    var counts: [StepKey: Int] = [:]
    return steps.map { step in
      let base = StepKey(role: step.role, source: step.source, name: step.name, occurrence: 0)
      let occurrence = counts[base, default: 0]
      counts[base] = occurrence + 1
      var key = base
      key.occurrence = occurrence
      return (key, step)
    }
  }

  /// Shortest common supersequence through the longest common subsequence: common steps
  /// stay aligned, host-specific ones are inserted where they stand.
  static func merge(_ a: [StepKey], _ b: [StepKey]) -> [StepKey] {
    if a.isEmpty { return b }
    if b.isEmpty || a == b { return a }
    var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var result: [StepKey] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        result.append(a[i])
        i += 1
        j += 1
      } else if j >= b.count || (i < a.count && lcs[i + 1][j] >= lcs[i][j + 1]) {
        result.append(a[i])
        i += 1
      } else {
        result.append(b[j])
        j += 1
      }
    }
    return result
  }
}
