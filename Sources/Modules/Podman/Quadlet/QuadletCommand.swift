import Engine
import Foundation

/// A command line for `Exec=`: the arguments exactly as the program receives them. Rendering
/// quotes each as systemd's rules need and turns off `%` and `$` expansion, so spaces,
/// quotes, `$HOME` or `100%` arrive unchanged (see `QuadletValue`).
///
/// JSON: a list of strings, `["gunicorn", "--workers", "4"]`, or, to keep systemd specifiers
/// such as `%i` live, `{"arguments": ["sleep", "%i"], "expand_specifiers": true}`.
public struct QuadletCommand: Sendable, Hashable, Decodable, ExpressibleByArrayLiteral {
  public var arguments: [String]
  /// Leave `%` specifiers for systemd to expand (`%i` → the instance); `$` stays literal.
  public var expandsSpecifiers: Bool

  public init(_ arguments: [String], expandsSpecifiers: Bool = false) {
    self.arguments = arguments
    self.expandsSpecifiers = expandsSpecifiers
  }

  public init(arrayLiteral elements: String...) { self.init(elements) }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case arguments
    case expandsSpecifiers = "expand_specifiers"
  }

  public init(from decoder: any Decoder) throws {
    if let list = try? decoder.singleValueContainer().decode([String].self) {
      self.init(list)
      return
    }
    let arguments = try ArgumentReader(decoder, keys: CodingKeys.self)
    self.init(
      arguments.required(.arguments) ?? [],
      expandsSpecifiers: arguments.optional(.expandsSpecifiers, default: false))
    try arguments.finish()
  }

  /// Writes `Key=<quoted arguments>`.
  func write(_ key: String, into writer: inout QuadletSectionWriter) {
    if arguments.isEmpty {
      writer.record(key, "needs at least one argument")
      return
    }
    if expandsSpecifiers {
      let escaped = arguments.map { $0.replacingOccurrences(of: "$", with: "$$") }
      writer.words(key, escaped, literal: false)
    } else {
      writer.words(key, arguments, literal: true)
    }
  }
}
