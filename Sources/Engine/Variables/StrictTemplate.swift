import Foundation

extension JSONValue {
  /// Every `{{ name }}` referenced in the strings of this value (unparsable text ignored).
  var references: [String] {
    switch self {
    case .string(let text):
      text.contains("{{") ? ((try? StrictTemplate(text))?.references ?? []) : []
    case .array(let values): values.flatMap(\.references)
    case .object(let members): members.values.flatMap(\.references)
    default: []
    }
  }
}

/// The strict template form used in JSON values and template files: literal text and
/// `{{ dotted.name }}` references, nothing else (no filters, no code).
public struct StrictTemplate: Sendable, Hashable {
  public enum Piece: Sendable, Hashable {
    case text(String)
    case reference(String)
    /// Anything else between `{{ }}`: an expression of the condition language (filters
    /// `default`, `bool`, `int`, …, `~`, comparisons), evaluated when the value is read.
    case expression(Expression)
  }

  public let pieces: [Piece]

  public init(_ text: String) throws(TemplateError) {
    var pieces: [Piece] = []
    var rest = Substring(text)
    while let open = rest.range(of: "{{") {
      if open.lowerBound > rest.startIndex {
        pieces.append(.text(String(rest[..<open.lowerBound])))
      }
      guard let close = rest[open.upperBound...].range(of: "}}") else {
        let prefix = text[..<open.lowerBound]
        let line = prefix.filter { $0 == "\n" }.count + 1
        let column =
          prefix.count
          - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 }
            ?? 0) + 1
        throw .unterminated(line: line, column: column)
      }
      let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      let plain =
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
      if plain {
        pieces.append(.reference(String(name)))
      } else if let expression = try? Expression(String(name)) {
        pieces.append(.expression(expression))
      } else {
        throw .invalidExpression(String(name))
      }
      rest = rest[close.upperBound...]
    }
    if !rest.isEmpty { pieces.append(.text(String(rest))) }
    self.pieces = pieces
  }

  /// The name when the whole text is exactly one reference: the value keeps its JSON type.
  public var singleReference: String? {
    if pieces.count == 1, case .reference(let name) = pieces[0] { return name }
    return nil
  }

  /// Every name referenced.
  public var references: [String] {
    pieces.flatMap { piece -> [String] in
      switch piece {
      case .text: []
      case .reference(let name): [name]
      case .expression(let expression): expression.referencedNames.sorted()
      }
    }
  }
}
