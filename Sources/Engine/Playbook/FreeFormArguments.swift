import Foundation

/// A task's module arguments as Ansible accepts them: an object, nothing (`debug:` alone), or
/// a string of `key=value` words (`debug: msg='hi there'`). A free-form module (`command`)
/// takes the words that are not its options as its free-form value. Values from words are
/// strings, as Ansible's are; the module's argument reader converts them.
enum FreeFormArguments {
  static func object(
    _ value: JSONValue, for type: any PlaybookModule.Type, at path: JSONPath, reader: DocumentReader
  ) -> JSONValue? {
    switch value {
    case .object: return value
    case .null: return .object([:])
    case .string(let text): return parse(text, for: type, at: path, reader: reader)
    default:
      reader.problem(
        path,
        "expected the module's arguments as an object or 'key=value' words, found \(value.typePhrase)"
      )
      return nil
    }
  }

  private static func parse(
    _ text: String, for type: any PlaybookModule.Type, at path: JSONPath, reader: DocumentReader
  ) -> JSONValue? {
    let words: [String]
    do {
      words = try ShellWords.split(text)
    } catch {
      reader.problem(path, "\(error)")
      return nil
    }
    let freeForm = type as? any FreeFormModule.Type
    var arguments: [String: JSONValue] = [:]
    var rest: [String] = []
    for word in words {
      guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
        rest.append(word)
        continue
      }
      let key = String(word[..<equals])
      if let freeForm, !freeForm.freeFormOptions.contains(key) {
        rest.append(word)
        continue
      }
      arguments[key] = .string(String(word[word.index(after: equals)...]))
    }
    if let freeForm {
      if !rest.isEmpty { arguments[freeForm.freeFormKey] = .string(joined(rest)) }
    } else if !rest.isEmpty {
      reader.problem(
        path, "'\(rest[0])' is not a 'key=value' argument; \(type.name) takes no free-form text")
      return nil
    }
    return .object(arguments)
  }

  /// The words back as one command line, each quoted again where the shell would need it.
  private static func joined(_ words: [String]) -> String {
    words.map { word in
      let plain = !word.isEmpty && word.allSatisfy { !$0.isWhitespace && !"'\"\\".contains($0) }
      return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
  }
}
