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

  /// The path (relative to the decoded value) and the message of a decoding failure.
  public static func describe(_ error: any Error) -> (path: JSONPath, message: String) {
    // A keyed container's `decode(Int.self, …)` throws Foundation's error unwrapped.
    if let number = unrepresentableNumber(in: error) { return (.root, notAnInteger(number)) }
    switch error {
    case let error as DecodingError:
      switch error {
      case .typeMismatch(let type, let context):
        return (
          JSONPath(codingPath: context.codingPath),
          "expected \(typeDescription(type))" + found(context)
        )
      case .valueNotFound(let type, let context):
        return (
          JSONPath(codingPath: context.codingPath),
          "expected \(typeDescription(type)), found null"
        )
      case .keyNotFound(let key, let context):
        return (
          JSONPath(codingPath: context.codingPath),
          "missing required key '\(key.stringValue)'"
        )
      case .dataCorrupted(let context):
        if let number = unrepresentableNumber(in: context.underlyingError) {
          return (JSONPath(codingPath: context.codingPath), notAnInteger(number))
        }
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

  /// A whole number that still does not fit (`1e+30`) is out of range, not a fraction.
  private static func notAnInteger(_ number: String) -> String {
    let isWhole = Double(number).map { $0.rounded() == $0 } ?? false
    return "expected an integer, found \(number)" + (isWhole ? ", which is too large" : "")
  }

  /// The number Foundation's decoder could not turn into the integer asked for (`2.5`,
  /// `1e+30`). It says so with an internal error, printed as
  /// `numberIsNotRepresentableInSwift(parsed: "2.5")`; read by its case name and value
  /// (reflection), not by its printed form.
  private static func unrepresentableNumber(in error: (any Error)?) -> String? {
    guard let error, let child = Mirror(reflecting: error).children.first,
      child.label == "numberIsNotRepresentableInSwift"
    else { return nil }
    if let text = child.value as? String { return text }
    return Mirror(reflecting: child.value).children.first { $0.label == "parsed" }?.value
      as? String
  }

  private static func found(_ context: DecodingError.Context) -> String {
    // Foundation says e.g. "Expected to decode Int but found a string instead."
    let text = context.debugDescription
    if let range = text.range(of: "found ") {
      let rest = text[range.upperBound...].replacingOccurrences(of: " instead.", with: "")
      return ", found \(rest)"
    }
    return ""
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
