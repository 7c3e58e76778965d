/// One setting of the containers' environment: its name there and the variable whose value
/// it carries, written as the DCI server reads it (`True`/`False`, a list joined by commas).
/// The environment is a table of these, so a value the environment file cannot carry is
/// reported against its variable (`DCIAPIVariables.problems`), and a secret is a secret
/// because its variable is.
struct EnvironmentSetting {
  let name: String
  let property: PartialKeyPath<DCIAPIVariables>
  /// The value as text, nil when unset.
  let text: (DCIAPIVariables) -> String?
  /// Whether the setting is written (the S3 settings only for `store_engine: s3`).
  let isWritten: (DCIAPIVariables) -> Bool

  init<Value: EnvironmentText>(
    _ name: String, _ property: KeyPath<DCIAPIVariables, Value>,
    when condition: KeyPath<DCIAPIVariables, Bool>? = nil
  ) {
    self.name = name
    self.property = property
    self.text = { $0[keyPath: property].environmentText }
    self.isWritten = { variables in condition.map { variables[keyPath: $0] } ?? true }
  }
}

/// A value as an environment variable carries it.
protocol EnvironmentText { var environmentText: String? { get } }

extension String: EnvironmentText { var environmentText: String? { self } }
extension Int: EnvironmentText { var environmentText: String? { String(self) } }
/// Python's spelling, which the server's settings parse.
extension Bool: EnvironmentText { var environmentText: String? { self ? "True" : "False" } }
extension Array: EnvironmentText where Element == String {
  var environmentText: String? { joined(separator: ",") }
}
extension Optional: EnvironmentText where Wrapped: EnvironmentText {
  var environmentText: String? { flatMap(\.environmentText) }
}
extension DCIAPIVariables.StoreEngine: EnvironmentText { var environmentText: String? { rawValue } }
