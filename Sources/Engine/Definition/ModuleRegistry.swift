/// The modules a JSON playbook may name, as an explicit list; duplicates are rejected.
/// The engine never switches on a module's name: it asks this registry to decode.
public struct ModuleRegistry: Sendable {
  public private(set) var types: [ModuleName: any PlaybookModule.Type] = [:]

  public init(_ modules: [any PlaybookModule.Type]) throws {
    for module in modules {
      guard types[module.name] == nil else {
        throw DefinitionErrors([
          Diagnostic(at: nil, "module '\(module.name)' is registered twice")
        ])
      }
      types[module.name] = module
    }
  }

  public var names: [ModuleName] { types.keys.sorted() }

  public func type(named name: String) -> (any PlaybookModule.Type)? { types[ModuleName(name)] }
}
