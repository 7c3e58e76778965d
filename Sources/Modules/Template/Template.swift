public import Engine
import Foundation

/// Ansible's `template`: a file whose content is given (Swift roles build it with typed
/// interpolation) or rendered from a playbook template file with the strict `{{ name }}` form.
/// The connection writes it atomically (temp file, `validate`, rename); the parent directory
/// must already exist, as in Ansible.
public struct Template: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "template"

  /// Where the content comes from.
  public enum Body: Sendable, Hashable {
    /// A template file of the playbook (`src`), rendered against the step's variables.
    case source(String)
    /// The content itself (`content`).
    case contents(String)
  }

  public var body: Body
  public var destination: HostPath
  public var attributes: FileAttributes
  /// Copy the old file to `<dest>.<timestamp>~` before replacing it.
  public var backup: Bool
  /// A command run on the new content before it replaces the old, e.g.
  /// `"visudo -cf %s"`. It is split on whitespace into argv (no shell, no quoting: an
  /// argument cannot contain a space); `%s` is the temp file's path and is required.
  public var validation: String?
  /// The content is a secret: diffs show neither the old nor the new text.
  public var sensitive: Bool
  /// The content holds secrets in known places: diffs show it with them masked (see
  /// `DiffMask`). Ignored when `sensitive` hides the whole text.
  public var diffMask: DiffMask?

  public init(
    destination: HostPath, contents: String, mode: ModeSpec? = nil, owner: String? = nil,
    group: String? = nil, backup: Bool = false, validate: String? = nil, sensitive: Bool = false,
    diffMask: DiffMask? = nil
  ) {
    self.init(
      body: .contents(contents), destination: destination,
      attributes: FileAttributes(mode: mode, owner: owner, group: group), backup: backup,
      validation: validate, sensitive: sensitive)
    self.diffMask = diffMask
  }

  public init(
    source: String, destination: HostPath, mode: ModeSpec? = nil, owner: String? = nil,
    group: String? = nil, backup: Bool = false, validate: String? = nil, sensitive: Bool = false
  ) {
    self.init(
      body: .source(source), destination: destination,
      attributes: FileAttributes(mode: mode, owner: owner, group: group), backup: backup,
      validation: validate, sensitive: sensitive)
  }

  init(
    body: Body, destination: HostPath, attributes: FileAttributes, backup: Bool,
    validation: String?, sensitive: Bool
  ) {
    self.body = body
    self.destination = destination
    self.attributes = attributes
    self.backup = backup
    self.validation = validation
    self.sensitive = sensitive
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case source = "src", contents = "content", destination = "dest", mode, owner, group, backup
    case validation = "validate", sensitive
  }

  public init(from decoder: any Decoder) throws {
    let arguments = try ArgumentReader(decoder, keys: CodingKeys.self)
    let source: String? = arguments.optional(.source)
    // A number or boolean (`"content": "{{ port }}"`) is written as its text.
    let contents = (arguments.optional(.contents) as CoercedString?)?.text
    switch (source, contents) {
    case (let source?, nil): body = .source(source)
    case (nil, let contents?): body = .contents(contents)
    case (.some, .some):
      arguments.record(.contents, "src and content are mutually exclusive")
      body = .contents("")
    case (nil, nil):
      if !arguments.has(.source) && !arguments.has(.contents) {
        arguments.record(.source, "one of src or content is required")
      }
      body = .contents("")
    }
    destination = arguments.required(.destination) ?? "/"
    attributes = FileAttributes(
      mode: arguments.optional(.mode), owner: arguments.optional(.owner),
      group: arguments.optional(.group))
    backup = arguments.optional(.backup, default: false)
    validation = arguments.optional(.validation)
    sensitive = arguments.optional(.sensitive, default: false)
    try arguments.finish(checking: self)
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    [
      ManagedFile.destinationProblem(destination).map { KeyedProblem(.destination, $0) },
      validationProblem.map { KeyedProblem(.validation, $0) },
    ].compactMap { $0 }
  }

  private var validationProblem: String? { validation.flatMap { ValidationCommand($0).problem } }

  public func reads(for host: InventoryHost) -> [HostRead] { file(content: Data()).reads }

  /// The file this template makes, once its content is known.
  func file(content: Data) -> ManagedFile {
    let diffContent: ManagedFile.DiffContent =
      sensitive ? .hidden : diffMask.map { .masked($0) } ?? .shown
    return ManagedFile(
      path: destination, content: content, attributes: attributes, backup: backup,
      validation: validation.map(ValidationCommand.init), diffContent: diffContent)
  }
}
