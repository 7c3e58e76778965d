/// Replaces secret values with `********` in everything a reporter prints.
///
/// Ansible only hides whole results (`no_log`) and still prints secrets in `--diff` output
/// (users' P9 complaint); the runner masks the values themselves, wherever they appear.
///
/// - Secrets shorter than 3 characters (or only whitespace) are ignored: masking "a" or "1"
///   would mask half of every line and hide nothing.
/// - A multi-line secret (a PEM key, a certificate) is masked whole, and each of its lines of
///   4 characters or more on its own, because diffs and `stdout_lines` show it line by line.
/// - Each value is also masked in its JSON-escaped form (`"` → `\"`, newline → `\n`), as it
///   appears inside a result's JSON.
/// - Longer values win: at each position the longest matching secret is masked, in one pass,
///   so a secret that contains another is never half shown.
public struct SecretMasker: Sendable {
  /// What a masked value is replaced with.
  public static let placeholder = "********"

  /// Patterns as UTF-8, longest first, indexed by first byte for a fast scan.
  private let patternsByFirstByte: [UInt8: [[UInt8]]]

  /// A masker for `secrets`; an empty list masks nothing.
  public init(secrets: [String] = []) {
    var patterns = Set<String>()
    for secret in secrets where secret.count >= 3 && !Self.isBlank(secret) {
      patterns.insert(secret)
      let lines = secret.split(separator: "\n", omittingEmptySubsequences: true)
      if lines.count > 1 {
        for line in lines {
          let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
          if trimmed.count >= 4 && !Self.isBlank(trimmed) { patterns.insert(trimmed) }
        }
      }
    }
    for pattern in patterns {
      patterns.insert(Self.jsonEscaped(pattern))
    }
    var index: [UInt8: [[UInt8]]] = [:]
    let ordered = patterns.map { Array($0.utf8) }.sorted {
      $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1)
    }
    for pattern in ordered {
      guard let first = pattern.first else { continue }
      index[first, default: []].append(pattern)
    }
    patternsByFirstByte = index
  }

  /// True when there is nothing to mask, so callers can skip the scan.
  public var isEmpty: Bool { patternsByFirstByte.isEmpty }

  /// `text` with every occurrence of a secret replaced by `placeholder`.
  public func mask(_ text: String) -> String {
    guard !isEmpty else { return text }
    let bytes = Array(text.utf8)
    let placeholder = Array(Self.placeholder.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var position = 0
    var masked = false
    while position < bytes.count {
      if let candidates = patternsByFirstByte[bytes[position]],
        let match = candidates.first(where: { Self.bytes(bytes, at: position, startWith: $0) })
      {
        output += placeholder
        position += match.count
        masked = true
      } else {
        output.append(bytes[position])
        position += 1
      }
    }
    return masked ? String(decoding: output, as: UTF8.self) : text
  }

  /// `diagnostic` with every secret in its message and note masked.
  public func mask(_ diagnostic: Diagnostic) -> Diagnostic {
    var masked = diagnostic
    masked.message = mask(diagnostic.message)
    masked.note = diagnostic.note.map(mask)
    return masked
  }

  private static func bytes(_ bytes: [UInt8], at position: Int, startWith pattern: [UInt8])
    -> Bool
  {
    guard position + pattern.count <= bytes.count else { return false }
    for offset in pattern.indices.dropFirst() where bytes[position + offset] != pattern[offset] {
      return false
    }
    return true
  }

  private static func isBlank(_ text: String) -> Bool {
    text.allSatisfy(\.isWhitespace)
  }

  /// The secret as it appears inside a JSON string literal.
  private static func jsonEscaped(_ text: String) -> String {
    String(JSONValue.quote(text).dropFirst().dropLast())
  }
}
