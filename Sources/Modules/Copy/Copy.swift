public import Engine
import Foundation

/// Ansible's `copy` for one file: its content given inline (`content`) or a file the playbook
/// ships (`src`, found as `template` finds its `src`, under `files/` instead of `templates/`),
/// copied byte for byte, never rendered. Written through `ManagedFile`, so it behaves as
/// `template` does: atomic write, `validate`, `backup`, attribute drift fixed when the content
/// matches, the parent directory required; `force: false` leaves an existing file alone.
///
/// Not Ansible's: a directory `src` (recursive copy), `remote_src`, `mode: preserve`, and the
/// `checksum`/`md5sum` result keys. A `content` that is an object or a list is refused rather
/// than written as Python's `json.dumps` writes it: runner keeps no key order to match it.
public struct Copy: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "copy"

  /// Where the bytes come from.
  public enum Source: Sendable, Hashable {
    /// The content itself (`content`).
    case content(String)
    /// A file of the playbook (`src`), copied as it is.
    case file(String)
  }

  public var source: Source
  public var destination: HostPath
  public var attributes: FileAttributes
  /// Copy the old file to `<dest>.<timestamp>~` before replacing it.
  public var backup: Bool
  /// A command run on the new content before it replaces the old, `%s` its temp path.
  public var validation: String?
  /// False: an existing file is not changed, whatever its content (Ansible's `force: no`).
  public var force: Bool

  public init(
    _ source: Source, destination: HostPath, mode: ModeSpec? = nil, owner: String? = nil,
    group: String? = nil, backup: Bool = false, validate: String? = nil, force: Bool = true
  ) {
    self.source = source
    self.destination = destination
    self.attributes = FileAttributes(mode: mode, owner: owner, group: group)
    self.backup = backup
    self.validation = validate
    self.force = force
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case content, source = "src", destination = "dest", mode, owner, group, backup, force
    case validation = "validate"
  }

  public init(from decoder: any Decoder) throws {
    let arguments = try ArgumentReader(decoder, keys: CodingKeys.self)
    let file: String? = arguments.optional(.source)
    let content = Self.content(from: arguments)
    switch (file, content) {
    case (let file?, nil): source = .file(file)
    case (nil, let content?): source = .content(content)
    case (.some, .some):
      arguments.record(.content, "src and content are mutually exclusive")
      source = .content("")
    case (nil, nil):
      if !arguments.has(.source) && !arguments.has(.content) {
        arguments.record(.source, "one of src or content is required")
      }
      source = .content("")
    }
    destination = arguments.required(.destination) ?? "/"
    attributes = FileAttributes(
      mode: arguments.optional(.mode), owner: arguments.optional(.owner),
      group: arguments.optional(.group))
    backup = arguments.optional(.backup, default: false)
    validation = arguments.optional(.validation)
    force = arguments.optional(.force, default: true)
    try arguments.finish(checking: self)
  }

  /// `content` as text: a number or boolean as its text, as `template` takes it; an object or
  /// a list refused with what to do instead.
  private static func content(from arguments: ArgumentReader<CodingKeys>) -> String? {
    switch arguments.optional(.content, as: JSONValue.self) {
    case .array?, .object?:
      arguments.record(
        .content,
        "expected text, found an object or a list; give the JSON to write as a string")
      return ""
    case .some:
      return (arguments.optional(.content) as CoercedString?)?.text
    case nil:
      return nil
    }
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    [
      ManagedFile.destinationProblem(destination).map { KeyedProblem(.destination, $0) },
      validationProblem.map { KeyedProblem(.validation, $0) },
    ].compactMap { $0 }
  }

  private var validationProblem: String? { validation.flatMap { ValidationCommand($0).problem } }

  public func reads(for host: InventoryHost) -> [HostRead] {
    file(content: Data(), afterHeader: nil).reads
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    var values: [String: JSONValue] = [:]
    let file: ManagedFile
    switch source {
    case .content(let text):
      file = self.file(content: Data(text.utf8), afterHeader: nil)
    case .file(let name):
      // Ansible heads the diff of a copied file with the file it copies.
      let found = try context.playbookFile(name)
      file = self.file(content: found.contents, afterHeader: found.path)
      values["src"] = .string(name)
    }
    return try await file.plan(in: context, reporting: file.resultValues.merging(values) { $1 })
  }

  private func file(content: Data, afterHeader: String?) -> ManagedFile {
    ManagedFile(
      path: destination, content: content, attributes: attributes, backup: backup,
      validation: validation.map(ValidationCommand.init), force: force, afterHeader: afterHeader)
  }
}
