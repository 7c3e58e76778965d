/// A role's variables declared in one table (`declarations`), which decoding, the role's
/// `variableNames` and `secretVariables` and the checks all read: each variable is spelled
/// once. `init()` holds every default.
///
/// Decoding reads the variables in the table's order (a variable required only in some cases
/// sees those read before it), reports unknown names with the closest known one, then adds
/// `problems`, the checks that involve more than one value, and throws everything at once.
public protocol DeclaredVariables: Decodable {
  init()
  static var declarations: [RoleVariable<Self>] { get }
  /// What is wrong across variables once each is read, by the property to blame.
  var problems: [VariableProblem<Self>] { get }
}

/// A problem found across variables, blamed on one of them by its property.
public struct VariableProblem<Variables> {
  public var property: PartialKeyPath<Variables>
  public var message: String

  public init(_ property: PartialKeyPath<Variables>, _ message: String) {
    self.property = property
    self.message = message
  }
}

extension DeclaredVariables {
  public var problems: [VariableProblem<Self>] { [] }

  public init(from decoder: any Decoder) throws {
    let declarations = Self.declarations
    let reader = try ArgumentReader(decoder, names: declarations.map(\.name))
    self.init()
    for declaration in declarations { declaration.read(with: reader, into: &self) }
    for problem in problems {
      reader.record(AnyCodingKey(Self.declaration(of: problem.property).name), problem.message)
    }
    try reader.finish()
  }

  /// Every variable's name, in the table's order.
  public static var variableNames: [String] { declarations.map(\.name) }

  /// The names of the secret variables.
  public static var secretVariableNames: Set<String> {
    Set(declarations.filter(\.isSecret).map(\.name))
  }

  /// The variable that fills `property`. Every property a role blames or passes on is in
  /// its table; one missing is a mistake in the role's code, stopped here.
  public static func declaration(of property: PartialKeyPath<Self>) -> RoleVariable<Self> {
    guard let found = declarations.first(where: { $0.property == property }) else {
      preconditionFailure("\(Self.self): no variable declared for \(property)")
    }
    return found
  }

  /// The name of the variable that fills `property` (to pass it on to a dependency).
  public static func name(of property: PartialKeyPath<Self>) -> String {
    declaration(of: property).name
  }
}

extension Role where Self: DeclaredVariables {
  /// A role that is its own variables table is asked for its secrets there too.
  public static var secretVariables: Set<String> { secretVariableNames }
}
