import Foundation

/// Turns decoding failures into one-line messages with the JSON path, the way a user reads them.
public enum DecodingDiagnostics {
  /// Every (path, message) in an error: several for `ArgumentProblems`, one otherwise.
  public static func describeAll(_ error: any Error) -> [(path: JSONPath, message: String)] {
    if let problems = error as? ArgumentProblems {
      return problems.problems.map { (JSONPath(codingPath: $0.path), $0.message) }
    }
    return [describe(error)]
  }

  /// The path and the message of a decoding failure. `JSONValueDecoder` words its errors
  /// whole ("expected an integer, found a string"); a type's own `init(from:)` may throw any.
  public static func describe(_ error: any Error) -> (path: JSONPath, message: String) {
    switch error {
    case let error as DecodingError:
      switch error {
      case .typeMismatch(_, let context), .valueNotFound(_, let context),
        .keyNotFound(_, let context), .dataCorrupted(let context):
        if let underlying = context.underlyingError, !(underlying is DecodingError) {
          return (JSONPath(codingPath: context.codingPath), "\(underlying)")
        }
        return (JSONPath(codingPath: context.codingPath), context.debugDescription)
      @unknown default:
        return (.root, "\(error)")
      }
    case let error as any CustomStringConvertible:
      return (.root, error.description)
    default:
      return (.root, "\(error)")
    }
  }

  static func typeDescription(_ type: Any.Type) -> String {
    switch type {
    case is String.Type, is CoercedString.Type: "a string"
    case is Int.Type, is UInt16.Type, is UInt32.Type: "an integer"
    case is Bool.Type: "a boolean"
    case is Double.Type: "a number"
    case is [String].Type, is [CoercedString].Type: "a list of strings"
    case is HostPath.Type: "a path (a string)"
    default:
      String(describing: type).hasPrefix("Array") ? "a list" : "\(type)"
    }
  }
}
