import Engine

/// ssh arguments an operator writes (`ansible_ssh_common_args`, `--ssh-common-args`): only
/// `-o Name=value` and `-oName=value` words, as runner's `ssh_options`; any other ssh flag is
/// refused (runner sets the others itself).
public enum SSHArguments {
  public struct Problem: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// `--ssh-common-args "-o A=b -oC=d"` as options; throws `Problem`.
  public static func options(fromArguments line: String) throws -> [String] {
    try options(.string(line)).get()
  }

  static func options(_ value: JSONValue) -> Result<[String], Problem> {
    guard case .string(let line) = value else {
      return .failure(Problem(message: "expected a string of ssh arguments"))
    }
    let words: [String]
    do {
      words = try ShellWords.split(line)
    } catch {
      return .failure(Problem(message: error.description))
    }
    var options: [String] = []
    var index = 0
    while index < words.count {
      let word = words[index]
      if word == "-o", index + 1 < words.count {
        options.append(words[index + 1])
        index += 2
      } else if word.hasPrefix("-o"), word.count > 2 {
        options.append(String(word.dropFirst(2)))
        index += 1
      } else {
        return .failure(
          Problem(message: "runner passes only '-o Name=value' options to ssh, found '\(word)'"))
      }
    }
    return .success(options)
  }
}
