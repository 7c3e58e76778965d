/// What a step sees on one host when its module, conditions and notifications are built:
/// the host, its variables (with registered results), the loop item, the result so far.
public struct StepScope: Sendable {
  public let host: InventoryHost
  public let variables: Variables
  public let item: JSONValue?
  public let isCheckMode: Bool
  /// The result of the attempt being judged by `changed_when`/`failed_when`/`until`.
  public let result: StepResult?
  /// The step's `register` name, bound to `result` while it is judged.
  public let resultName: String?

  public init(
    host: InventoryHost, variables: Variables, item: JSONValue? = nil, isCheckMode: Bool = false,
    result: StepResult? = nil, resultName: String? = nil
  ) {
    self.host = host
    self.variables = variables
    self.item = item
    self.isCheckMode = isCheckMode
    self.result = result
    self.resultName = resultName
  }

  /// A registered result (`register: name`) from an earlier step on this host.
  public func registered(_ name: String) -> JSONValue? {
    variables.registered[name]
  }

  /// Looks up a dotted name as templates and expressions do: `item`, the current result's
  /// fields, then the host's variables.
  public func lookup(_ name: String) throws -> JSONValue {
    try variables.lookup(name, extra: extraNames)
  }

  var extraNames: [String: JSONValue] {
    var names: [String: JSONValue] = [:]
    if let result {
      let json = result.json
      for (key, value) in json.objectValue ?? [:] { names[key] = value }
      if let resultName { names[resultName] = json }
    }
    if let item { names["item"] = item }
    names["ansible_check_mode"] = .bool(isCheckMode)
    names["inventory_hostname"] = .string(host.name)
    return names
  }

  func with(item: JSONValue?) -> StepScope {
    StepScope(
      host: host, variables: variables, item: item, isCheckMode: isCheckMode, result: result,
      resultName: resultName)
  }

  /// The scope in which a step's result is judged; `name` is its `register` name.
  func with(result: StepResult?, named name: String? = nil) -> StepScope {
    StepScope(
      host: host, variables: variables, item: item, isCheckMode: isCheckMode, result: result,
      resultName: name ?? resultName)
  }
}
