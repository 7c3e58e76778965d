import Foundation

/// Finds and reads roles in Ansible's layout beside a playbook (`roles/NAME/tasks/main.json`
/// and the rest), each once per playbook; a dependency cycle between directories is reported
/// instead of followed. Every problem is reported with the role file's own name.
final class RoleDirectoryLoader {
  enum Lookup {
    /// No `roles/NAME` directory: a Swift role, or an unknown one.
    case none
    case found(DataRole)
    /// The directory is there but could not be used (its problems are recorded).
    case failed
  }

  /// The keys of a role's `meta/main.json`.
  enum MetaKey: String, CodingKey, CaseIterable {
    case dependencies, allowDuplicates = "allow_duplicates", galaxyInfo = "galaxy_info"
  }

  let base: URL
  let modules: ModuleRegistry
  private var loaded: [String: Lookup] = [:]
  private var loading: [String] = []
  private(set) var problems: [Diagnostic] = []

  init(playbook file: String, modules: ModuleRegistry) {
    base = URL(fileURLWithPath: file).deletingLastPathComponent()
    self.modules = modules
  }

  func role(named name: String, at source: SourceLocation) -> Lookup {
    if let known = loaded[name] { return known }
    let directory = base.appendingPathComponent("roles").appendingPathComponent(name)
    var isDirectory: ObjCBool = false
    guard !name.isEmpty, !name.contains("/"),
      FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { return .none }
    guard !loading.contains(name) else {
      problems.append(
        Diagnostic(
          at: source, "role dependency cycle: " + (loading + [name]).joined(separator: " -> ")))
      return .failed
    }
    loading.append(name)
    defer { loading.removeLast() }
    let before = problems.count
    let role = read(name, in: directory)
    let result: Lookup = problems.count > before ? .failed : .found(role)
    loaded[name] = result
    return result
  }

  private func read(_ name: String, in directory: URL) -> DataRole {
    var role = DataRole(name: RoleName(name), directory: directory.path)
    if let (reader, document) = document(directory, "tasks") {
      role.steps = decoder(reader).steps(document, at: .root)
      problems += reader.problems
    }
    if let (reader, document) = document(directory, "handlers") {
      role.handlers = decoder(reader).handlers(document, at: .root)
      problems += reader.problems
    }
    role.defaults = variables(directory, "defaults")
    role.variables = variables(directory, "vars")
    if let (reader, document) = document(directory, "meta") {
      if let meta = reader.object(
        document, at: .root, what: "the role's meta", keys: MetaKey.self, kind: "role meta")
      {
        role.allowsDuplicates = meta.bool(.allowDuplicates) ?? false
        role.dependencies = PlaybookLoader.roleInclusions(
          meta[.dependencies], at: meta.path(.dependencies), reader: reader, roles: self)
      }
      problems += reader.problems
    }
    return role
  }

  func decoder(_ reader: DocumentReader) -> TaskDecoder {
    var decoder = TaskDecoder(modules: modules, reader: reader)
    decoder.roles = self
    return decoder
  }

  /// `PART/main.json` of the role, parsed, with a reader for its problems; nil when absent.
  private func document(_ directory: URL, _ part: String) -> (DocumentReader, JSONValue)? {
    let file = directory.appendingPathComponent(part).appendingPathComponent("main.json")
    guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
    do {
      return (DocumentReader(file: file.path), try JSONValue.parse(data))
    } catch {
      problems.append(PlaybookLoader.diagnostic(for: error, in: file.path))
      return nil
    }
  }

  private func variables(_ directory: URL, _ part: String) -> [String: JSONValue] {
    guard let (reader, document) = document(directory, part) else { return [:] }
    let members = reader.object(document, at: .root, what: "the role's \(part)") ?? [:]
    problems += reader.problems
    return members
  }
}
