import Foundation

/// A play's `hosts` or a `--limit`, read as Ansible reads it: terms separated by `,` or `:`,
/// where `!x` excludes, `&x` intersects and a plain `x` adds; each `x` is a host, a group,
/// `all`, or a glob over host and group names (`web*`).
///
/// Ansible applies the terms by kind, not by position (`order_patterns`): every addition,
/// then every intersection, then every exclusion, so `!b1:all` is `all:!b1`. A pattern of
/// only exclusions and intersections starts from `all`, so `--limit '!b1'` is every host
/// but `b1`. Not supported: Ansible's `~regex` terms and `[0:2]` subscripts.
struct HostPattern: Sendable {
  enum Operation: Sendable { case add, intersect, exclude }

  struct Term: Sendable {
    var operation: Operation
    /// The host, group or glob, without its `!` or `&`.
    var name: String
  }

  /// In the order they apply.
  let terms: [Term]

  init(_ text: String) {
    let terms = text.split(whereSeparator: { $0 == "," || $0 == ":" })
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .map { part -> Term in
        switch part.first {
        case "!": Term(operation: .exclude, name: String(part.dropFirst()))
        case "&": Term(operation: .intersect, name: String(part.dropFirst()))
        default: Term(operation: .add, name: part)
        }
      }
    var additions = terms.filter { $0.operation == .add }
    if additions.isEmpty, !terms.isEmpty { additions = [Term(operation: .add, name: "all")] }
    self.terms =
      additions + terms.filter { $0.operation == .intersect }
      + terms.filter { $0.operation == .exclude }
  }
}
