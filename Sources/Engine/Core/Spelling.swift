/// Suggests the closest known name for a misspelled one ("did you mean …?").
public enum Spelling {
  /// Longer words get no suggestion: nobody mistypes a 100,000-character name, and the
  /// distance costs the product of the lengths.
  static let longestWord = 128

  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    guard word.count <= longestWord else { return nil }
    var best: (name: String, distance: Int)?
    let allowed = max(2, word.count / 3)
    // The lengths' difference is a lower bound of the distance: most candidates end there.
    for candidate in candidates where abs(candidate.count - word.count) <= allowed {
      let distance = editDistance(word.lowercased(), candidate.lowercased())
      if distance <= allowed, distance < (best?.distance ?? .max) {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      previous = current
    }
    return previous[b.count]
  }

  /// `; did you mean 'x'?` or nothing.
  public static func suggestion(for word: String, in candidates: some Sequence<String>) -> String {
    guard let match = closest(to: word, in: candidates) else { return "" }
    return "; did you mean '\(match)'?"
  }
}
