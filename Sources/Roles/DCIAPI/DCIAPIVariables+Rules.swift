import Engine
import Modules

/// The rules of the role's values that end up in unit files (`Image=`, `Network=`,
/// `Exec=`), in Podman secrets and in the HAProxy container's mounts. The modules refuse
/// what they cannot carry, but only at the step, which names a line of this role's Swift
/// source; declared with the variable, the problem is reported where the operator set it
/// (`-e`, the play's `vars`, the inventory), before any change.
extension VariableRule where Value == String {
  /// `quay.io/x/y:tag`: no blanks or control characters, not an option.
  static var imageReference: Self {
    Self { value in
      if value.isEmpty || value.containsControlCharacter || value.contains(where: \.isWhitespace)
        || value.hasPrefix("-")
      {
        return "expected an image reference (no blanks or control characters, not starting "
          + "with '-'), found \(JSONValue.quote(value))"
      }
      return nil
    }
  }

  /// Arguments split into words as a shell would (`ShellWords`): every quote closed.
  static var shellWords: Self {
    Self { value in
      do throws(ShellWords.Problem) { _ = try ShellWords.split(value) } catch {
        return error.description
      }
      return nil
    }
  }

  /// Arguments for a unit file's command line: `shellWords`, no control character, no lone
  /// `;` (systemd's separator).
  static var commandArguments: Self {
    Self { value in
      let words: [String]
      do throws(ShellWords.Problem) { words = try ShellWords.split(value) } catch {
        return error.description
      }
      if words.contains(where: \.containsControlCharacter) {
        return "contains a control character, which a unit file line cannot carry"
      }
      if words.contains(";") {
        return "contains a lone ';', which systemd reads as a command separator"
      }
      return nil
    }
  }

  /// A value given as a Podman secret: `podman secret create` refuses an empty one.
  static var podmanSecretText: Self {
    Self { value in
      value.isEmpty
        ? "expected a value, found an empty string (a Podman secret cannot be empty)" : nil
    }
  }

  /// What the SSO key's Podman secret refuses; an empty key means no secret.
  static var ssoPublicKey: Self {
    Self(problems: { key in
      key.isEmpty ? [] : DCIAPIVariables.ssoPublicKeySecret(key).argumentProblems.map(\.message)
    })
  }
}

extension VariableRule where Value == HostPath {
  /// A path of the `haproxy` role, which this role writes into and validates with: the
  /// same `rule` as there, and the directory it names (`directory` of the path) may not
  /// overlap this role's config directory (its secrets would be mounted into HAProxy).
  static func haproxyPath(
    _ directory: KeyPath<HostPath, HostPath>, _ rule: @escaping (HostPath) -> String?
  ) -> Self {
    Self { path in
      if let problem = rule(path) { return problem }
      let mounted = path[keyPath: directory]
      guard mounted.isWithin(DCIAPI.configDirectory) || DCIAPI.configDirectory.isWithin(mounted)
      else { return nil }
      return "'\(mounted)' overlaps \(DCIAPI.configDirectory), where the API's secrets are"
    }
  }
}

extension String {
  fileprivate var containsControlCharacter: Bool {
    unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
  }
}
