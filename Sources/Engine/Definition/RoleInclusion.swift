/// A role in a play or a dependency: by name or type with JSON variables (decoded per host),
/// or a Swift value.
public struct RoleInclusion: Sendable {
  public enum Reference: Sendable {
    case named(String, parameters: [String: JSONValue])
    case typed(any Role.Type, parameters: [String: JSONValue])
    case instance(any Role)
    /// A role read from its directory, with the entry's `vars` (role parameters).
    case directory(DataRole, parameters: [String: JSONValue])
  }

  public var reference: Reference
  public var source: SourceLocation
  /// The entry's `tags`: every step of the role and of its dependencies carries them.
  public var tags: Set<String> = []

  // The call site is captured by `#fileID`/`#line` defaults of each initializer itself: a
  // default of `.here()` would capture this file instead.

  public init(
    _ name: String, parameters: [String: JSONValue] = [:], source: SourceLocation? = nil,
    fileID: String = #fileID, line: Int = #line
  ) {
    self.reference = .named(name, parameters: parameters)
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }

  public init(
    _ role: any Role, source: SourceLocation? = nil, fileID: String = #fileID, line: Int = #line
  ) {
    self.reference = .instance(role)
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }

  public init(
    _ role: DataRole, parameters: [String: JSONValue] = [:], source: SourceLocation
  ) {
    self.reference = .directory(role, parameters: parameters)
    self.source = source
  }

  public init<R: Role>(
    _ type: R.Type, parameters: [String: JSONValue] = [:], source: SourceLocation? = nil,
    fileID: String = #fileID, line: Int = #line
  ) {
    self.reference = .typed(type, parameters: parameters)
    self.source = source ?? SourceLocation(file: fileID, line: line)
  }
}
