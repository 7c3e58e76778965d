import Foundation

/// A module-level problem ("unit 'x.service' not found"), with an optional way out.
public struct ModuleError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  public var description: String {
    hint.map { "\(message) (hint: \($0))" } ?? message
  }
}
