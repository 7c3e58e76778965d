/// Permission bits of a file (`0o640`), printed as Ansible prints them: `"0640"`.
public struct FileMode: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
  public var bits: UInt16

  public init(_ bits: UInt16) { self.bits = bits & 0o7777 }
  public init(integerLiteral value: UInt16) { self.init(value) }

  /// Parses an octal string such as `"0640"` or `"644"`.
  public init?(octal text: String) {
    guard !text.isEmpty, text.count <= 5, let value = UInt16(text, radix: 8), value <= 0o7777
    else { return nil }
    self.init(value)
  }

  public var description: String {
    let octal = String(bits, radix: 8)
    return String(repeating: "0", count: max(0, 4 - octal.count)) + octal
  }
}
