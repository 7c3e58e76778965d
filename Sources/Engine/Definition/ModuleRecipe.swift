/// How a step makes its module value on a host, split in two so the value is made once: the
/// *inputs* it depends on in a scope (a JSON task's arguments rendered with the host's
/// variables, a Swift loop's item, nothing for a Swift step), and the value *made* from them.
/// The engine keys what it made by the recipe and the inputs (`ResolvedModules`), so
/// validation, the prefetch and execution share one value per host and loop item, and
/// `validate()` runs once for it.
public struct ModuleRecipe: Sendable {
  public let name: ModuleName
  /// Which step's recipe this is: copies of a step share it.
  let identity = Identity()
  let inputs: @Sendable (StepScope) throws -> JSONValue
  let make: @Sendable (JSONValue) throws -> any Module

  /// A recipe whose value depends on `inputs` only: `make` must be a pure function of them.
  public init(
    _ name: ModuleName, inputs: @escaping @Sendable (StepScope) throws -> JSONValue,
    make: @escaping @Sendable (JSONValue) throws -> any Module
  ) {
    self.name = name
    self.inputs = inputs
    self.make = make
  }

  /// A module built in Swift, the same in every scope.
  public init<M: Module>(_ module: @escaping @Sendable () throws -> M) {
    self.init(Self.name(of: M.self), inputs: { _ in .null }, make: { _ in try module() })
  }

  /// A module built in Swift from the loop item (`.null` outside a loop).
  public init<M: Module>(item module: @escaping @Sendable (JSONValue) throws -> M) {
    self.init(
      Self.name(of: M.self), inputs: { scope in scope.item ?? .null }, make: { try module($0) })
  }

  /// A named module's name; a role's private module without one is known by its type's.
  static func name<M: Module>(of type: M.Type) -> ModuleName {
    (type as? any NamedModule.Type)?.name ?? ModuleName(String(describing: type))
  }

  /// Makes a fresh value for `scope`, outside the engine's store (tests, tools).
  public func build(in scope: StepScope) throws -> any Module { try make(inputs(scope)) }

  /// A reference only to tell recipes apart; the store holds it, so its address cannot be
  /// reused by another recipe while a value made from it is kept.
  final class Identity: Sendable, Hashable {
    static func == (lhs: Identity, rhs: Identity) -> Bool { lhs === rhs }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
  }
}
