/// Finds which lines two texts share, the way Python's `difflib.SequenceMatcher` does
/// (Ratcliff/Obershelp: take the longest matching block, then recurse on each side of it).
///
/// A minimal edit script (Myers) is a valid diff too, but it often groups changes differently;
/// matching difflib's choices is what makes `--diff` output identical to `ansible-playbook`'s,
/// so users comparing both, and tests pinned on Ansible output, see the same hunks.
///
/// Lines are compared as integer identities so equality is exact (Python compares code points;
/// Swift's `String ==` would also equate canonically equivalent lines).
struct LineMatcher {
  /// One step of the edit script: `before[beforeRange]` becomes `after[afterRange]`.
  struct Opcode: Equatable {
    enum Kind: Equatable { case equal, replace, delete, insert }

    var kind: Kind
    var beforeRange: Range<Int>
    var afterRange: Range<Int>

    /// The first `count` lines of both ranges (the context after a change).
    func keepingFirst(_ count: Int) -> Opcode {
      Opcode(
        kind: kind, beforeRange: Self.first(count, of: beforeRange),
        afterRange: Self.first(count, of: afterRange))
    }

    /// The last `count` lines of both ranges (the context before a change).
    func keepingLast(_ count: Int) -> Opcode {
      Opcode(
        kind: kind, beforeRange: Self.last(count, of: beforeRange),
        afterRange: Self.last(count, of: afterRange))
    }

    private static func first(_ count: Int, of range: Range<Int>) -> Range<Int> {
      range.lowerBound..<min(range.upperBound, range.lowerBound + count)
    }

    private static func last(_ count: Int, of range: Range<Int>) -> Range<Int> {
      max(range.lowerBound, range.upperBound - count)..<range.upperBound
    }
  }

  private struct Block: Comparable {
    var before: Int
    var after: Int
    var size: Int

    static func < (lhs: Block, rhs: Block) -> Bool {
      (lhs.before, lhs.after, lhs.size) < (rhs.before, rhs.after, rhs.size)
    }
  }

  private let before: [Int]
  private let after: [Int]
  /// For each line of `after`, where it occurs (ascending), minus difflib's "popular" lines.
  private let positionsInAfter: [Int: [Int]]

  init(before: [Int], after: [Int]) {
    self.before = before
    self.after = after
    var positions: [Int: [Int]] = [:]
    for (index, line) in after.enumerated() {
      positions[line, default: []].append(index)
    }
    // difflib's autojunk heuristic: in texts of 200+ lines, a line that makes up more than 1%
    // of them (blank lines, braces) is not used to anchor a match, only to extend one.
    if after.count >= 200 {
      let limit = after.count / 100 + 1
      positions = positions.filter { $0.value.count <= limit }
    }
    positionsInAfter = positions
  }

  /// difflib's `get_grouped_opcodes(n)`: the changes with `context` equal lines around them,
  /// split into hunks wherever more than `2 * context` equal lines separate two changes.
  func groupedOpcodes(context: Int) -> [[Opcode]] {
    var codes = opcodes()
    if codes.isEmpty {
      codes = [Opcode(kind: .equal, beforeRange: 0..<1, afterRange: 0..<1)]
    }
    if let first = codes.first, first.kind == .equal {
      codes[0] = first.keepingLast(context)
    }
    if let last = codes.last, last.kind == .equal {
      codes[codes.count - 1] = last.keepingFirst(context)
    }

    var groups: [[Opcode]] = []
    var group: [Opcode] = []
    for code in codes {
      if code.kind == .equal && code.beforeRange.count > 2 * context {
        group.append(code.keepingFirst(context))
        groups.append(group)
        group = [code.keepingLast(context)]
      } else {
        group.append(code)
      }
    }
    if !group.isEmpty && !(group.count == 1 && group[0].kind == .equal) {
      groups.append(group)
    }
    return groups
  }

  /// difflib's `get_opcodes()`: the whole edit script, equal runs included.
  func opcodes() -> [Opcode] {
    var result: [Opcode] = []
    var beforeIndex = 0
    var afterIndex = 0
    for block in matchingBlocks() {
      let kind: Opcode.Kind? =
        if beforeIndex < block.before && afterIndex < block.after {
          .replace
        } else if beforeIndex < block.before {
          .delete
        } else if afterIndex < block.after {
          .insert
        } else {
          nil
        }
      if let kind {
        result.append(
          Opcode(
            kind: kind, beforeRange: beforeIndex..<block.before,
            afterRange: afterIndex..<block.after))
      }
      beforeIndex = block.before + block.size
      afterIndex = block.after + block.size
      if block.size > 0 {
        result.append(
          Opcode(
            kind: .equal, beforeRange: block.before..<beforeIndex,
            afterRange: block.after..<afterIndex))
      }
    }
    return result
  }

  /// difflib's `get_matching_blocks()`: maximal matching runs in order, adjacent runs merged,
  /// ending with the empty sentinel block at the ends of both texts.
  private func matchingBlocks() -> [Block] {
    var pending = [(beforeLow: 0, beforeHigh: before.count, afterLow: 0, afterHigh: after.count)]
    var found: [Block] = []
    while let range = pending.popLast() {
      let match = longestMatch(
        beforeLow: range.beforeLow, beforeHigh: range.beforeHigh,
        afterLow: range.afterLow, afterHigh: range.afterHigh)
      guard match.size > 0 else { continue }
      found.append(match)
      if range.beforeLow < match.before && range.afterLow < match.after {
        pending.append((range.beforeLow, match.before, range.afterLow, match.after))
      }
      if match.before + match.size < range.beforeHigh && match.after + match.size < range.afterHigh
      {
        pending.append(
          (match.before + match.size, range.beforeHigh, match.after + match.size, range.afterHigh))
      }
    }
    found.sort()

    var merged: [Block] = []
    var current = Block(before: 0, after: 0, size: 0)
    for block in found {
      if current.before + current.size == block.before
        && current.after + current.size == block.after
      {
        current.size += block.size
      } else {
        if current.size > 0 { merged.append(current) }
        current = block
      }
    }
    if current.size > 0 { merged.append(current) }
    merged.append(Block(before: before.count, after: after.count, size: 0))
    return merged
  }

  /// difflib's `find_longest_match()`: the longest run common to both ranges, the earliest in
  /// `before` (then in `after`) among equally long ones, extended over popular lines.
  private func longestMatch(beforeLow: Int, beforeHigh: Int, afterLow: Int, afterHigh: Int)
    -> Block
  {
    var best = Block(before: beforeLow, after: afterLow, size: 0)
    // runLength[j]: length of the match ending at before[i - 1] and after[j].
    var runLength: [Int: Int] = [:]
    for beforeIndex in beforeLow..<beforeHigh {
      var nextRunLength: [Int: Int] = [:]
      for afterIndex in positionsInAfter[before[beforeIndex]] ?? [] {
        if afterIndex < afterLow { continue }
        if afterIndex >= afterHigh { break }
        let length = (runLength[afterIndex - 1] ?? 0) + 1
        nextRunLength[afterIndex] = length
        if length > best.size {
          best = Block(
            before: beforeIndex - length + 1, after: afterIndex - length + 1, size: length)
        }
      }
      runLength = nextRunLength
    }
    while best.before > beforeLow && best.after > afterLow
      && before[best.before - 1] == after[best.after - 1]
    {
      best = Block(before: best.before - 1, after: best.after - 1, size: best.size + 1)
    }
    while best.before + best.size < beforeHigh && best.after + best.size < afterHigh
      && before[best.before + best.size] == after[best.after + best.size]
    {
      best.size += 1
    }
    return best
  }
}
