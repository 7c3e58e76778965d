/// Before/after text of a change, rendered as a unified diff under `--diff`.
public struct Diff: Sendable, Hashable {
  public var before: String
  public var after: String
  public var beforeHeader: String?
  public var afterHeader: String?
  /// Content hidden (a secret file); only the headers and a notice are shown.
  public var isHidden: Bool

  public init(
    before: String, after: String, beforeHeader: String? = nil, afterHeader: String? = nil,
    isHidden: Bool = false
  ) {
    self.before = before
    self.after = after
    self.beforeHeader = beforeHeader
    self.afterHeader = afterHeader
    self.isHidden = isHidden
  }

  /// A diff of attributes as Ansible's file module shows it: two sorted JSON objects.
  public static func attributes(
    before: [String: JSONValue], after: [String: JSONValue]
  ) -> Diff {
    Diff(
      before: JSONValue.object(before).prettyJSON() + "\n",
      after: JSONValue.object(after).prettyJSON() + "\n")
  }
}
