import Foundation

/// Steps that name other documents: task files (`import_tasks`, `include_tasks`) and roles
/// (`import_role`, `include_role`).
extension TaskDecoder {
  /// The keys of `import_tasks: {file: …}`.
  enum TaskFileKey: String, CodingKey, CaseIterable { case file }
  /// The keys of `import_role: {name: …}`.
  enum RoleStepKey: String, CodingKey, CaseIterable { case name }

  /// Reads a task file named by `import_tasks`/`include_tasks` (a path, or `{file: path}`),
  /// beside the file that names it; its problems are reported with its own name.
  func taskFile<T>(
    _ value: JSONValue?, at path: JSONPath,
    _ decode: (TaskDecoder, JSONValue) -> T
  ) -> (file: String, value: T)? {
    let name: String?
    if let value, value.objectValue != nil {
      let keys = reader.object(
        value, at: path, what: "a task file", keys: TaskFileKey.self, kind: "task file")
      name = keys?.string(.file)
    } else {
      name = reader.string(value, at: path)
    }
    guard let name else { return nil }
    guard !name.contains("{{") else {
      reader.problem(path, "a templated task file name is not supported: name the file")
      return nil
    }
    let base = URL(fileURLWithPath: reader.file).deletingLastPathComponent()
    let url = name.hasPrefix("/") ? URL(fileURLWithPath: name) : base.appendingPathComponent(name)
    let file = url.standardizedFileURL.path
    guard !including.contains(file) else {
      reader.problem(path, "task file '\(name)' includes itself")
      return nil
    }
    let document: JSONValue
    do {
      document = try JSONValue.parse(try Data(contentsOf: url))
    } catch let error as JSONSyntaxError {
      reader.absorb([PlaybookLoader.diagnostic(for: error, in: file)])
      return nil
    } catch {
      reader.problem(path, "cannot read task file '\(name)' (\(file))")
      return nil
    }
    let child = DocumentReader(file: file)
    var decoder = TaskDecoder(modules: modules, reader: child)
    decoder.including = including + [reader.file, file]
    decoder.roles = roles
    let value = decode(decoder, document)
    reader.absorb(child.problems)
    return (file, value)
  }

  /// `import_role`/`include_role`: `{name: role}` (or `name=role`), with the task's `vars`
  /// as the role's parameters; a role directory beside the playbook, else a Swift role.
  func roleInclusion(_ value: JSONValue?, parameters: JSONValue?, at path: JSONPath)
    -> RoleInclusion?
  {
    var name: String?
    switch value {
    case let object? where object.objectValue != nil:
      let keys = reader.object(
        object, at: path, what: "a role step", keys: RoleStepKey.self, kind: "role step")
      name = keys?.string(.name)
      if let keys, !keys.contains(.name) {
        reader.problem(path, "a role step needs 'name' (the role)")
      }
    case .string(let text)? where text.hasPrefix("name="):
      name = String(text.dropFirst(5))
    default:
      reader.problem(path, "expected {\"name\": role}, found \(value?.typeName ?? "nothing")")
    }
    let vars = parameters.flatMap {
      reader.object(
        $0, at: JSONPath(Array(path.components.dropLast())).appending("vars"), what: "vars")
    }
    guard let name else { return nil }
    let source = reader.location(path)
    switch roles?.role(named: name, at: source) ?? .none {
    case .found(let role): return RoleInclusion(role, parameters: vars ?? [:], source: source)
    case .none: return RoleInclusion(name, parameters: vars ?? [:], source: source)
    case .failed: return nil
    }
  }
}
