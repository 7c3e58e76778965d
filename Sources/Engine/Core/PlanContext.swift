public import Foundation

/// The read-only view of a host that a module plans against. It has no way to write, so a
/// module cannot change a host in check mode, or at all.
public struct PlanContext: Sendable {
  public let host: InventoryHost
  /// True under `--check`: only to predict (e.g. a unit an earlier step would have created),
  /// never to skip writes, which modules cannot do anyway.
  public let isCheckMode: Bool
  /// The run's `-v` count, for modules that say more (or only something) when it is high.
  public let verbosity: Int
  private let reader: HostReader
  private let scope: StepScope?
  private let templates: (any TemplateSource)?
  private let files: (any PlaybookFileSource)?

  public init(
    host: InventoryHost, isCheckMode: Bool, reader: HostReader, scope: StepScope? = nil,
    templates: (any TemplateSource)? = nil, files: (any PlaybookFileSource)? = nil,
    verbosity: Int = 0
  ) {
    self.host = host
    self.isCheckMode = isCheckMode
    self.verbosity = verbosity
    self.reader = reader
    self.scope = scope
    self.templates = templates
    self.files = files
  }

  /// Runs the fact's (read-only) command and parses its output.
  public func gather<F: Fact>(_ fact: F) async throws -> F.Value {
    try fact.parse(try await reader.output(of: fact.command))
  }

  /// The file's bytes, or nil when it does not exist.
  public func contents(of path: HostPath) async throws -> Data? {
    try await reader.contents(of: path)
  }

  /// The value of a variable (dotted names too) as the step sees it, or nil when undefined.
  public func value(of name: String) throws -> JSONValue? {
    guard let scope else { return nil }
    do {
      return try scope.lookup(name)
    } catch TemplateError.undefined {
      return nil
    }
  }

  /// Evaluates a Jinja-style expression (`x == 1`, `y is defined`) against the step's
  /// variables, as `when` does.
  public func isTrue(_ text: String) throws -> Bool {
    guard let scope else { throw ModuleError("'\(text)' cannot be evaluated here: no variables") }
    return try Condition.parsing(text).holds(in: scope)
  }

  /// Resolves `{{ }}` references in a value against the step's variables.
  public func resolve(_ value: JSONValue) throws -> JSONValue {
    guard let scope else { return value }
    return try scope.variables.resolve(value, extra: scope.extraNames)
  }

  /// Renders a playbook template file with the strict `{{ name }}` form against the step's
  /// variables; an undefined name is an error naming it.
  public func renderTemplate(_ source: String) throws -> String {
    guard let templates, let scope else {
      throw ModuleError("template file '\(source)' cannot be rendered here: no template source")
    }
    let text = try templates.text(of: source)
    let rendered = try scope.variables.resolve(.string(text), extra: scope.extraNames)
    return rendered.interpolated
  }

  /// A file the playbook ships (`copy: {src: …}`), read on this machine as it is.
  public func playbookFile(_ source: String) throws -> PlaybookFile {
    guard let files else {
      throw ModuleError("file '\(source)' cannot be read here: no playbook files")
    }
    return try files.file(source)
  }
}
