import Foundation

/// A text where an integer or a boolean is expected, converted as Ansible's argument spec
/// converts it: `-e scale=2` gives the text "2", which an `int` variable takes as 2, and
/// `yes`/`no`, `true`/`false`, `on`/`off`, `1`/`0` are booleans.
enum AnsibleConversion {
  /// The converted value, or nil when `value` is no such text or `T` is neither type.
  static func convert<T>(_ value: JSONValue, to type: T.Type) -> T? {
    guard case .string(let text) = value else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if T.self == Int.self, let number = Int(trimmed) { return number as? T }
    if T.self == Bool.self, let flag = booleans[trimmed.lowercased()] { return flag as? T }
    return nil
  }

  private static let booleans: [String: Bool] = [
    "yes": true, "on": true, "1": true, "true": true, "y": true, "t": true,
    "no": false, "off": false, "0": false, "false": false, "n": false, "f": false,
  ]
}
