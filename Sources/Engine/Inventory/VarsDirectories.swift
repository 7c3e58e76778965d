import Foundation

/// `group_vars/` and `host_vars/` beside each inventory source and beside the playbook, read
/// as Ansible's `host_group_vars` plugin reads them: for a group or host `name`, the files
/// `name`, `name.yml`, `name.yaml`, `name.json`, or every file of a directory `name/` (its
/// tree, in name order, hidden files and other extensions skipped). Directories are read in
/// the order given — the inventories' first, the playbook's last — so the playbook's win.
public struct VarsDirectories: Sendable {
  public var directories: [String]
  /// Opens vault files and `!vault` values; nil: a vault is an error saying a password is needed.
  public var vault: (any VaultDecryptor)?

  public init(_ directories: [String], vault: (any VaultDecryptor)? = nil) {
    self.vault = vault
    var unique: [String] = []
    for directory in directories.map({ URL(fileURLWithPath: $0).standardizedFileURL.path })
    where !unique.contains(directory) {
      unique.append(directory)
    }
    self.directories = unique
  }

  public static let none = VarsDirectories([])

  public enum Kind: String, Sendable { case group = "group_vars", host = "host_vars" }

  /// One file's variables, with the file they come from.
  struct FileVars {
    var vars: [String: JSONValue]
    var file: String
  }

  static let extensions = ["yml", "yaml", "json"]

  /// The variables files of `name` in `directory`, in the order they apply; problems for a
  /// file that cannot be read or is not a mapping.
  func files(
    _ kind: Kind, _ name: String, in directory: String, problems: inout [Diagnostic]
  ) -> [FileVars] {
    var found: [FileVars] = []
    let manager = FileManager.default
    do {
      let base = directory + "/" + kind.rawValue + "/" + name
      var isDirectory: ObjCBool = false
      var paths: [String] = []
      if manager.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue {
        paths = Self.tree(base)
      } else {
        paths = ([""] + Self.extensions.map { "." + $0 }).map { base + $0 }
          .filter { manager.fileExists(atPath: $0) }
      }
      for path in paths {
        if let vars = Self.read(path, vault: vault, problems: &problems) {
          found.append(FileVars(vars: vars, file: path))
        }
      }
    }
    return found
  }

  /// Every vars file under `directory`, in name order (Ansible sorts each level).
  private static func tree(_ directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    var paths: [String] = []
    for name in names.sorted() where !name.hasPrefix(".") {
      let path = directory + "/" + name
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        continue
      }
      if isDirectory.boolValue {
        paths += tree(path)
      } else {
        let ext = (name as NSString).pathExtension
        if ext.isEmpty || extensions.contains(ext) { paths.append(path) }
      }
    }
    return paths
  }

  private static func read(
    _ path: String, vault: (any VaultDecryptor)?, problems: inout [Diagnostic]
  ) -> [String: JSONValue]? {
    guard let data = FileManager.default.contents(atPath: path) else {
      problems.append(Diagnostic(at: SourceLocation(file: path), "cannot read this vars file"))
      return nil
    }
    do {
      let value = try VarsFile.parse(data, file: path, vault: vault)
      if case .null = value { return [:] }  // an empty file
      guard case .object(let vars) = value else {
        problems.append(
          Diagnostic(
            at: SourceLocation(file: path),
            "a vars file must hold a mapping of variable names, found \(value.typePhrase)"))
        return nil
      }
      return vars
    } catch let error as DefinitionErrors {
      problems += error.problems
    } catch {
      problems.append(Diagnostic(at: SourceLocation(file: path), "\(error)"))
    }
    return nil
  }
}
