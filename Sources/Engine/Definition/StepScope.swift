/// What a step sees on one host when its module, conditions and notifications are built:
/// the host, its variables (with registered results), the loop item, the result so far.
public struct StepScope: Sendable {
  public let host: InventoryHost
  public let variables: Variables
  public private(set) var item: JSONValue?
  public let isCheckMode: Bool
  /// The result of the attempt being judged by `changed_when`/`failed_when`/`until`.
  public private(set) var result: StepResult?
  /// The step's `register` name, bound to `result` while it is judged.
  public private(set) var resultName: String?
  /// The loop item's name (`loop_control.loop_var`) and the loop's other names
  /// (`index_var`, `ansible_loop`).
  public var itemName = "item"
  public var loopNames: [String: JSONValue] = [:]
  /// Names the play provides on this host (`ansible_play_hosts`, `groups`, `hostvars`,
  /// `ansible_failed_task`, …), below the loop's and the result's names.
  public var magicNames: [String: JSONValue] = [:]
  /// The step's bound names (role parameters, an include's loop item), resolved: above the
  /// host's variables, below `-e`.
  public var boundNames: [String: JSONValue] = [:]

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
    var names = magicNames
    for (key, value) in boundNames { names[key] = value }
    for (key, value) in loopNames { names[key] = value }
    if let result {
      let json = result.json
      for (key, value) in json.objectValue ?? [:] { names[key] = value }
      if let resultName { names[resultName] = json }
    }
    if let item { names[itemName] = item }
    names["ansible_check_mode"] = .bool(isCheckMode)
    names["inventory_hostname"] = .string(host.name)
    // The address runner connects to, unless the inventory sets `ansible_host` itself.
    if variables.raw("ansible_host") == nil {
      names["ansible_host"] = .string(host.connection.address ?? host.name)
    }
    return names
  }

  func with(item: JSONValue?, named name: String = "item", loop: [String: JSONValue] = [:])
    -> StepScope
  {
    var scope = self
    scope.item = item
    scope.itemName = name
    scope.loopNames = loop
    return scope
  }

  /// The scope in which a step's result is judged; `name` is its `register` name.
  func with(result: StepResult?, named name: String? = nil) -> StepScope {
    var scope = self
    scope.result = result
    scope.resultName = name ?? resultName
    return scope
  }
}

extension StepScope {
  /// The scope `step` is built and judged in on a host, with its role parameters resolved
  /// (one that cannot be resolved yet is left as written: it fails where it is used).
  public init(
    for step: Step, host: InventoryHost, variables: Variables, isCheckMode: Bool = false,
    magic: [String: JSONValue] = [:]
  ) {
    self.init(host: host, variables: variables, isCheckMode: isCheckMode)
    magicNames = magic
    for (name, value) in step.boundNames {
      boundNames[name] = (try? variables.resolve(value, extra: magic)) ?? value
    }
  }
}
