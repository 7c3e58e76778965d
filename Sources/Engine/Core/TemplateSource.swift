/// Renders a template file of the playbook (`template: {src: …}`) on the machine running
/// `runner`; the CLI provides it, relative to the playbook's folder.
public protocol TemplateSource: Sendable {
  /// The template's text; throws when it cannot be read.
  func text(of source: String) throws -> String
}
