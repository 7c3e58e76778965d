/// An INI inventory's host pattern with ranges, expanded as ansible-core does:
/// `web[01:03]` is web01, web02, web03 (a leading zero keeps the width), `[a:c]` letters,
/// `[1:9:2]` a step, and several ranges in one name multiply.
enum HostRange {
  struct Problem: Error { var message: String }

  static func expand(_ pattern: String) throws(Problem) -> [String] {
    guard let open = pattern.firstIndex(of: "[") else { return [pattern] }
    guard let close = pattern[open...].firstIndex(of: "]") else {
      throw Problem(message: "host range '\(pattern)' has no closing ']'")
    }
    let head = String(pattern[..<open])
    let tail = String(pattern[pattern.index(after: close)...])
    let parts = pattern[pattern.index(after: open)..<close].split(
      separator: ":", omittingEmptySubsequences: false
    ).map(String.init)
    guard parts.count == 2 || parts.count == 3 else {
      throw Problem(message: "host range '\(pattern)' needs [start:end] or [start:end:step]")
    }
    let step = parts.count == 3 ? Int(parts[2]) : 1
    guard let step, step > 0 else {
      throw Problem(message: "host range '\(pattern)': the step must be a positive number")
    }
    var items: [String] = []
    if let start = Int(parts[0]), let end = Int(parts[1]) {
      guard start <= end else {
        throw Problem(message: "host range '\(pattern)': the start is after the end")
      }
      let width = parts[0].hasPrefix("0") ? parts[0].count : 0
      for number in stride(from: start, through: end, by: step) {
        let digits = String(number)
        items.append(String(repeating: "0", count: max(0, width - digits.count)) + digits)
      }
    } else if let start = letter(parts[0]), let end = letter(parts[1]), start <= end {
      for value in stride(from: start.value, through: end.value, by: step) {
        items.append(String(Character(Unicode.Scalar(value) ?? "?")))
      }
    } else {
      throw Problem(
        message: "host range '\(pattern)': expected numbers or single letters, in order")
    }
    let rests = try expand(tail)
    return items.flatMap { item in rests.map { head + item + $0 } }
  }

  private static func letter(_ text: String) -> Unicode.Scalar? {
    guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first,
      scalar.properties.isAlphabetic, scalar.isASCII
    else { return nil }
    return scalar
  }
}
