extension DocumentReader {
  /// `tags`: a name, a comma-separated list of names (`"a, b"`), or a list of names (or
  /// numbers), as Ansible reads the keyword; a bare number is refused, as there. Templated
  /// tags are refused: runner selects steps before any host's variables exist.
  func tags(_ value: JSONValue?, at path: JSONPath) -> Set<String> {
    guard let value else { return [] }
    let items: [(JSONValue, JSONPath)]
    if case .array(let list) = value {
      items = list.enumerated().map { ($1, path.appending($0)) }
    } else {
      items = [(value, path)]
    }
    var tags: Set<String> = []
    for (item, itemPath) in items {
      switch item {
      case .string(let text) where text.contains("{{"):
        problem(itemPath, "tags cannot be templated here ('\(text)'): name them literally")
      case .string(let text):
        tags.formUnion(TagSelection.names(in: text))
      case .int(let number) where itemPath != path:
        tags.insert(String(number))
      default:
        problem(
          itemPath, "expected a tag name or a list of tag names, found \(item.typePhrase)")
      }
    }
    return tags
  }
}
