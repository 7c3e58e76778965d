public import Engine

/// Ansible's `set_fact`: sets host variables for the rest of the run (with registered
/// results, above play vars). Values keep their JSON types; `cacheable` has no fact cache
/// to go to here, so it is refused rather than silently ignored.
public struct SetFact: PlaybookModule, VariableDefining {
  public static let name: ModuleName = "set_fact"

  public var values: [String: JSONValue]

  public init(_ values: [String: JSONValue]) { self.values = values }

  public init(from decoder: any Decoder) throws {
    let object = try JSONValue(from: decoder).objectValue ?? [:]
    var problems: [ArgumentProblem] = []
    if object["cacheable"] != nil {
      problems.append(
        ArgumentProblem(
          path: [AnyCodingKey("cacheable")],
          message: "there is no fact cache: cacheable facts are not supported"))
    }
    if object.isEmpty {
      problems.append(ArgumentProblem(path: [], message: "set_fact needs at least one name"))
    }
    for name in object.keys.sorted() where !Self.isValidName(name) {
      problems.append(
        ArgumentProblem(
          path: [AnyCodingKey(name)], message: "'\(name)' is not a valid variable name"))
    }
    if !problems.isEmpty { throw ArgumentProblems(problems: problems) }
    values = object
  }

  static func isValidName(_ name: String) -> Bool {
    guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else {
      return false
    }
    return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
  }

  public static func names(definedBy arguments: JSONValue) -> [String] {
    (arguments.objectValue ?? [:]).keys.filter { $0 != "cacheable" }.sorted()
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    var plan = Plan.unchanged(values: ["ansible_facts": .object(values)])
    plan.definedVariables = values
    return plan
  }
}
