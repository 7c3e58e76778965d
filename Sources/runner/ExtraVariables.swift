import Engine
import Foundation

/// Parses `-e` values the way ansible-playbook does: `key=value key2=value2`, `@file.json`,
/// or an inline JSON object. Later values win. A `key=value` value is always a string, as in
/// Ansible (`0123` stays `0123`, a password `false` stays a string); a typed variable takes
/// it as Ansible's argument spec does (`-e scale=2` is the integer 2, see `ArgumentReader`).
/// JSON keeps its types.
enum ExtraVariables {
  /// What is wrong with a word of `key=value` pairs that is not one. After a `key=value`,
  /// the word is most likely the rest of a value with a blank (`-e 'dbpassword=two words'`):
  /// it may be a secret, so no part of it is shown.
  private static func problem(with word: Substring, after previousKey: String?) -> String {
    guard let previousKey else {
      let name = word.prefix { $0 != "=" }
      return name.isEmpty || name == word
        ? "expected key=value, @file.json or a JSON object, found '\(word)'"
        : "invalid variable name '\(name)'"
    }
    let found = word.contains("=") ? "a word that is not key=value" : "a word without '='"
    return "expected key=value, found \(found) after '\(previousKey)=…' (not shown: it may be "
      + "part of a value); a value with blanks must be given as JSON: "
      + "-e '{\"\(previousKey)\": \"…\"}'"
  }

  static func parse(
    _ values: [String], vault: (any VaultDecryptor)? = nil, readFile: (String) throws -> Data
  ) throws -> [String: JSONValue] {
    var result: [String: JSONValue] = [:]
    var problems: [Diagnostic] = []
    for (index, value) in values.enumerated() {
      let origin = SourceLocation(file: "-e #\(index + 1)")
      if value.hasPrefix("@") {
        let path = String(value.dropFirst())
        do {
          let document = try VarsFile.parse(try readFile(path), file: path, vault: vault)
          guard case .object(let members) = document else {
            problems.append(
              Diagnostic(
                at: SourceLocation(file: path),
                "an extra vars file must hold a JSON object, found \(document.typePhrase)"))
            continue
          }
          result.merge(members) { _, new in new }
        } catch let error as DefinitionErrors {
          problems += error.problems
        } catch let error as JSONSyntaxError {
          problems.append(PlaybookLoader.diagnostic(for: error, in: path))
        } catch {
          problems.append(
            Diagnostic(
              at: origin, "cannot read extra vars file '\(path)': \(error.localizedDescription)"))
        }
      } else if value.trimmingCharacters(in: .whitespaces).hasPrefix("{") {
        do {
          let document = try JSONValue.parse(Data(value.utf8))
          guard case .object(let members) = document else {
            problems.append(
              Diagnostic(at: origin, "expected a JSON object, found \(document.typePhrase)"))
            continue
          }
          result.merge(members) { _, new in new }
        } catch {
          var location = SourceLocation(file: origin.file, syntaxError: error)
          if location.path?.isRoot == true { location.path = nil }
          problems.append(Diagnostic(at: location, "invalid JSON in -e: \(error.message)"))
        }
      } else {
        var previousKey: String?
        for pair in value.split(separator: " ", omittingEmptySubsequences: true) {
          let equals = pair.firstIndex(of: "=")
          let key = String(pair[..<(equals ?? pair.endIndex)])
          guard let equals, !key.isEmpty,
            key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
          else {
            // One problem per argument: the words after a bad one are most likely the rest of
            // the same value, and would only repeat it.
            problems.append(Diagnostic(at: origin, problem(with: pair, after: previousKey)))
            break
          }
          previousKey = key
          result[key] = .string(String(pair[pair.index(after: equals)...]))
        }
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    return result
  }
}
