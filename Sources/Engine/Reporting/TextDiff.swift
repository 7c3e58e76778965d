/// Unified diffs as `ansible-playbook --diff` prints them.
///
/// `unifiedDiff` is Python's `difflib.unified_diff` over `splitlines(True)`, byte for byte;
/// `render` adds what Ansible's callback (`CallbackBase._get_diff`) adds around it: the
/// `before: <header>` / `after: <header>` file names, the `\ No newline at end of file`
/// marker and one empty line after a non-empty diff. Pure: no I/O, no state.
public enum TextDiff {
  /// What a hidden diff (a secret file) shows instead of its lines; Ansible says the same
  /// for `no_log` results, with a reason users of this runner would find misleading.
  public static let hiddenNotice =
    " [[ Diff output has been hidden because the content is secret ]]"

  /// The text Ansible prints for one diff: empty when nothing differs, else the unified diff
  /// followed by an empty line. A hidden diff shows its headers and `hiddenNotice` only.
  public static func render(_ diff: Diff, context: Int = 3) -> String {
    let fromFile = diff.beforeHeader.map { "before: \($0)" } ?? "before"
    let toFile = diff.afterHeader.map { "after: \($0)" } ?? "after"
    if diff.isHidden {
      return "--- \(fromFile)\n+++ \(toFile)\n\(hiddenNotice)\n\n"
    }
    let lines = unifiedDiffLines(
      before: markingMissingFinalNewline(pythonLines(diff.before)),
      after: markingMissingFinalNewline(pythonLines(diff.after)),
      fromFile: fromFile, toFile: toFile, context: context)
    return lines.isEmpty ? "" : lines.joined() + "\n"
  }

  /// `"".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
  /// fromFile, toFile, n=context))`: empty when the texts are equal.
  public static func unifiedDiff(
    before: String, after: String, fromFile: String, toFile: String, context: Int = 3
  ) -> String {
    unifiedDiffLines(
      before: pythonLines(before), after: pythonLines(after), fromFile: fromFile,
      toFile: toFile, context: context
    ).joined()
  }

  private static func unifiedDiffLines(
    before: [String], after: [String], fromFile: String, toFile: String, context: Int
  ) -> [String] {
    var identities: [[UInt8]: Int] = [:]
    func identity(_ line: String) -> Int {
      let bytes = Array(line.utf8)
      if let known = identities[bytes] { return known }
      let new = identities.count
      identities[bytes] = new
      return new
    }
    let matcher = LineMatcher(before: before.map(identity), after: after.map(identity))
    let groups = matcher.groupedOpcodes(context: max(0, context))
    guard !groups.isEmpty else { return [] }

    var output = ["--- \(fromFile)\n", "+++ \(toFile)\n"]
    for group in groups {
      guard let first = group.first, let last = group.last else { continue }
      let beforeSpan = hunkRange(first.beforeRange.lowerBound, last.beforeRange.upperBound)
      let afterSpan = hunkRange(first.afterRange.lowerBound, last.afterRange.upperBound)
      output.append("@@ -\(beforeSpan) +\(afterSpan) @@\n")
      for opcode in group {
        if opcode.kind == .equal {
          output += before[opcode.beforeRange].map { " " + $0 }
          continue
        }
        if opcode.kind == .replace || opcode.kind == .delete {
          output += before[opcode.beforeRange].map { "-" + $0 }
        }
        if opcode.kind == .replace || opcode.kind == .insert {
          output += after[opcode.afterRange].map { "+" + $0 }
        }
      }
    }
    return output
  }

  /// difflib's `_format_range_unified`: `start,length` with 1-based lines, `start` alone for
  /// one line, and the line before the range for an empty one (`0,0` for an empty file).
  private static func hunkRange(_ start: Int, _ stop: Int) -> String {
    let length = stop - start
    if length == 1 { return "\(start + 1)" }
    return length == 0 ? "\(start),0" : "\(start + 1),\(length)"
  }

  /// Ansible appends the marker to the last line itself, so "x" and "x\n" differ as lines.
  private static func markingMissingFinalNewline(_ lines: [String]) -> [String] {
    guard let last = lines.last, last.unicodeScalars.last != "\n" else { return lines }
    return lines.dropLast() + [last + "\n\\ No newline at end of file\n"]
  }

  /// Python's `str.splitlines(keepends=True)`: every line keeps its terminator, and the
  /// terminators are Python's (`\r\n`, `\r`, `\n`, `\v`, `\f`, `\x1c`–`\x1e`, NEL, LS, PS).
  static func pythonLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var afterCarriageReturn = false
    for scalar in text.unicodeScalars {
      if afterCarriageReturn {
        afterCarriageReturn = false
        if scalar == "\n" {
          current.append(scalar)
          lines.append(String(current))
          current = String.UnicodeScalarView()
          continue
        }
        lines.append(String(current))
        current = String.UnicodeScalarView()
      }
      current.append(scalar)
      if scalar == "\r" {
        afterCarriageReturn = true
      } else if isPythonLineBreak(scalar) {
        lines.append(String(current))
        current = String.UnicodeScalarView()
      }
    }
    if !current.isEmpty { lines.append(String(current)) }
    return lines
  }

  private static func isPythonLineBreak(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: true
    default: false
    }
  }
}
