/// A path into a JSON document, printed as `$[0].tasks[2].template.mode`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
  public enum Component: Sendable, Hashable {
    case key(String)
    case index(Int)
  }

  public var components: [Component]

  public init(_ components: [Component] = []) { self.components = components }

  public static let root = JSONPath()

  public var isRoot: Bool { components.isEmpty }

  public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
  public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }
  public func appending(_ other: JSONPath) -> JSONPath {
    JSONPath(components + other.components)
  }

  /// Builds a path from `DecodingError.codingPath`.
  public init(codingPath: [any CodingKey]) {
    self.components = codingPath.map { key in
      if let index = key.intValue { return .index(index) }
      return .key(key.stringValue)
    }
  }

  public var description: String {
    var text = "$"
    for component in components {
      switch component {
      case .key(let key):
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        text += plain ? ".\(key)" : "[\(JSONValue.quote(key))]"
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }
}
