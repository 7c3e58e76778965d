/// One variable of a role, declared once in its table (`DeclaredVariables.declarations`):
/// the name playbooks give it, the property it fills, whether it must be given, the rules its
/// value obeys and whether it is secret. Decoding, `Role.variableNames`,
/// `Role.secretVariables` and every check read the table, so a new variable is one line.
///
/// ```swift
/// .optional("dci_api_container_scale", \.containerScale, rules: [.within(0...64)]),
/// .required("dbpassword", \.databasePassword, secret: true),
/// ```
///
/// A variable that is not required keeps the default its property has in `Variables()`.
/// Rules run on a value that was given (a default obeys them by construction).
public struct RoleVariable<Variables> {
  /// The name in playbooks, inventories and `-e` (`dci_api_container_scale`).
  public let name: String
  /// The property it fills, which problems across variables name it by.
  public let property: PartialKeyPath<Variables>
  /// Never shown in output, diffs, JSON or errors.
  public let isSecret: Bool
  private let readValue: (ArgumentReader<AnyCodingKey>, inout Variables) -> Void

  private init(
    _ name: String, _ property: PartialKeyPath<Variables>, secret: Bool,
    read: @escaping (ArgumentReader<AnyCodingKey>, inout Variables) -> Void
  ) {
    self.name = name
    self.property = property
    self.isSecret = secret
    self.readValue = read
  }

  /// Reads the variable into `variables`, recording what is wrong with it on `reader`.
  func read(with reader: ArgumentReader<AnyCodingKey>, into variables: inout Variables) {
    readValue(reader, &variables)
  }

  /// A variable with a default: the value its property has in `Variables()`. (Disfavoured:
  /// for an optional property, the form that reads the wrapped type is the one meant.)
  @_disfavoredOverload
  public static func optional<Value: Decodable>(
    _ name: String, _ property: WritableKeyPath<Variables, Value>, secret: Bool = false,
    rules: [VariableRule<Value>] = []
  ) -> Self {
    reading(name, property, secret: secret, required: { _ in false }, rules: rules) {
      $0[keyPath: property] = $1
    }
  }

  /// A variable that may stay unset (nil).
  public static func optional<Value: Decodable>(
    _ name: String, _ property: WritableKeyPath<Variables, Value?>, secret: Bool = false,
    rules: [VariableRule<Value>] = []
  ) -> Self {
    reading(name, property, secret: secret, required: { _ in false }, rules: rules) {
      $0[keyPath: property] = $1
    }
  }

  /// A variable that must be given, always or only `when` the variables read before it say
  /// so (the S3 keys with `store_engine: s3`); otherwise it is read as optional.
  @_disfavoredOverload
  public static func required<Value: Decodable>(
    _ name: String, _ property: WritableKeyPath<Variables, Value>,
    when condition: KeyPath<Variables, Bool>? = nil, secret: Bool = false,
    rules: [VariableRule<Value>] = []
  ) -> Self {
    reading(name, property, secret: secret, required: Self.condition(condition), rules: rules) {
      $0[keyPath: property] = $1
    }
  }

  /// A variable that must be given (`when` the condition holds), nil while it is not.
  public static func required<Value: Decodable>(
    _ name: String, _ property: WritableKeyPath<Variables, Value?>,
    when condition: KeyPath<Variables, Bool>? = nil, secret: Bool = false,
    rules: [VariableRule<Value>] = []
  ) -> Self {
    reading(name, property, secret: secret, required: Self.condition(condition), rules: rules) {
      $0[keyPath: property] = $1
    }
  }

  /// The one reading all four forms share: required when `required` says so, else optional
  /// (absent or null keeps the default); a value read is assigned, then checked.
  private static func reading<Value: Decodable>(
    _ name: String, _ property: PartialKeyPath<Variables>, secret: Bool,
    required: @escaping (Variables) -> Bool, rules: [VariableRule<Value>],
    assign: @escaping (inout Variables, Value) -> Void
  ) -> Self {
    let key = AnyCodingKey(name)
    return Self(name, property, secret: secret) { reader, variables in
      let value: Value? = required(variables) ? reader.required(key) : reader.optional(key)
      guard let value else { return }
      assign(&variables, value)
      VariableRule.apply(rules, to: value, key: key, reader: reader)
    }
  }

  /// Always, or as the property says.
  private static func condition(
    _ property: KeyPath<Variables, Bool>?
  ) -> (Variables) -> Bool {
    guard let property else { return { _ in true } }
    return { $0[keyPath: property] }
  }
}
