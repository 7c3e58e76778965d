/// A mode as a user writes it: octal (`"0640"`) or symbolic (`"u=rw,g=r,o="`, `"u+x"`, `"a-w"`).
/// JSON integers are refused: Ansible reads `644` as decimal, a classic trap.
public struct ModeSpec: Sendable, Hashable, CustomStringConvertible, Codable,
  ExpressibleByStringLiteral, ExpressibleByIntegerLiteral
{
  public let text: String
  private let clauses: [Clause]?  // nil for octal
  private let octal: FileMode?

  private struct Clause: Sendable, Hashable {
    var who: UInt16  // mask of affected bits (u=0o4700-ish handled below)
    var op: Character
    var permissions: String
  }

  public init(_ text: String) throws {
    self.text = text
    if let mode = FileMode(octal: text) {
      octal = mode
      clauses = nil
      return
    }
    octal = nil
    clauses = try ModeSpec.parseSymbolic(text)
  }

  public init(stringLiteral value: String) {
    do { try self.init(value) } catch { preconditionFailure("invalid mode literal '\(value)'") }
  }

  /// `mode: 0o640` in Swift (an octal literal; JSON integers are still refused).
  public init(integerLiteral value: UInt16) { self.init(FileMode(value)) }

  public init(_ mode: FileMode) {
    self.text = mode.description
    self.octal = mode
    self.clauses = nil
  }

  public var description: String { text }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let value = try container.decode(JSONValue.self)
    guard case .string(let text) = value else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: value.mismatch(
          expected: #"a mode as a string such as "0644" or "u=rw,g=r,o=""#))
    }
    do { try self.init(text) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }

  /// The bits this spec yields applied to a file whose current mode is `current`
  /// (0 for a new file); `X` adds execute only for directories or already-executable files.
  public func resolve(current: FileMode?, isDirectory: Bool) -> FileMode {
    if let octal { return octal }
    var bits = current?.bits ?? 0
    for clause in clauses ?? [] {
      var permissionBits: UInt16 = 0
      for p in clause.permissions {
        switch p {
        case "r": permissionBits |= 0o444
        case "w": permissionBits |= 0o222
        case "x": permissionBits |= 0o111
        case "X": if isDirectory || bits & 0o111 != 0 { permissionBits |= 0o111 }
        case "s": permissionBits |= 0o6000
        case "t": permissionBits |= 0o1000
        default: break
        }
      }
      let affected = permissionBits & clause.who
      switch clause.op {
      case "=":
        let clearMask = clause.who & 0o777 | (clause.who & 0o4000) | (clause.who & 0o2000)
        bits = (bits & ~clearMask) | affected
      case "+": bits |= affected
      default: bits &= ~affected
      }
    }
    return FileMode(bits)
  }

  public struct Invalid: Error, CustomStringConvertible {
    public var text: String
    public var description: String {
      "invalid mode '\(text)': expected octal such as \"0644\" or symbolic such as \"u=rw,g=r,o=\""
    }
  }

  private static func parseSymbolic(_ text: String) throws -> [Clause] {
    var result: [Clause] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let opIndex = part.firstIndex(where: { "=+-".contains($0) }) else {
        throw Invalid(text: text)
      }
      let whoText = part[..<opIndex]
      var who: UInt16 = 0
      for w in whoText {
        switch w {
        case "u": who |= 0o4700
        case "g": who |= 0o2070
        case "o": who |= 0o1007
        case "a": who |= 0o7777
        default: throw Invalid(text: text)
        }
      }
      if whoText.isEmpty { who = 0o7777 }
      let permissions = String(part[part.index(after: opIndex)...])
      guard permissions.allSatisfy({ "rwxXst".contains($0) }) else { throw Invalid(text: text) }
      result.append(Clause(who: who, op: part[opIndex], permissions: permissions))
    }
    return result
  }
}
