/// Where a variable's value came from, so an error points at the line to fix: `-e`, the
/// play's `vars`, or the inventory file and JSON path that set it.
struct VariableOrigins {
  let play: Play
  let host: InventoryHost
  let variables: Variables

  func location(of key: String) -> SourceLocation {
    if variables.extra[key] != nil {
      return SourceLocation(file: "-e", path: JSONPath([.key(key)]))
    }
    if play.variables[key] != nil {
      var location = play.source
      location.path = (play.source.path ?? .root).appending("vars").appending(key)
      return location
    }
    if let source = host.variableSources[key] { return source }
    let layer = host.hostVariables[key] != nil ? "host vars of '\(host.name)'" : "group vars"
    return SourceLocation(file: "inventory \(layer)", path: JSONPath([.key(key)]))
  }
}
