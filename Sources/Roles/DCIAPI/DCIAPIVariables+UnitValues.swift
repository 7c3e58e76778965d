import Engine

/// Values of the role that end up in Quadlet unit files (`Image=`, `Network=`, `Exec=`). The
/// `podman_quadlet` module refuses what a unit file cannot carry, but only at the step, which
/// names a line of this role's Swift source; checked here, the problem is reported against
/// the variable, where the operator set it (`-e`, the play's `vars`, the inventory).
extension DCIAPIVariables {
  /// Every value bound for a unit file, by the variable it comes from, with the rule it obeys.
  var unitFileValuesToCheck: [(CodingKeys, String, UnitValueRule)] {
    var values: [(CodingKeys, String, UnitValueRule)] = [
      (.containerImage, containerImage, .imageReference),
      (.haproxyImage, haproxyImage, .imageReference),
      (.containerNetwork, containerNetwork, .name),
      (.gunicornExtraArguments, gunicornExtraArguments, .arguments),
    ]
    if let authTrackingImage {
      values.append((.authTrackingImage, authTrackingImage, .imageReference))
    }
    return values
  }

  enum UnitValueRule {
    /// `quay.io/x/y:tag`: no blanks or control characters, not an option.
    case imageReference
    /// A network name or unit: letters, digits, `-`, `_`, `.` (as the haproxy role requires).
    case name
    /// Arguments split into words as a shell would (`ShellWords`): every quote closed, no
    /// control character, no lone `;` (systemd's separator).
    case arguments

    /// Why `value` breaks the rule, or nil.
    func problem(with value: String) -> String? {
      let found = JSONValue.quote(value)
      let control = value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
      switch self {
      case .imageReference:
        if value.isEmpty || control || value.contains(where: \.isWhitespace)
          || value.hasPrefix("-")
        {
          return "expected an image reference (no blanks or control characters, not starting "
            + "with '-'), found \(found)"
        }
      case .name:
        if value.isEmpty || !value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
        {
          return "expected a name of letters, digits, '-', '_' or '.', found \(found)"
        }
      case .arguments:
        let words: [String]
        do { words = try ShellWords.split(value) } catch { return error.description }
        if words.contains(where: {
          $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }) {
          return "contains a control character, which a unit file line cannot carry"
        }
        if words.contains(";") {
          return "contains a lone ';', which systemd reads as a command separator"
        }
      }
      return nil
    }
  }
}
