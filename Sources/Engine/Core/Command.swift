public import Foundation

/// A program and its arguments, run without any shell: no value is ever split, globbed or
/// expanded. Arguments marked secret are masked wherever the command is shown.
public struct Command: Sendable, Hashable, CustomStringConvertible {
  public var arguments: [String]
  /// Data written to the program's standard input, if any.
  public var input: Data?
  /// Extra environment variables for the program.
  public var environment: [String: String]
  /// Working directory on the host.
  public var directory: String?
  /// Indices of `arguments` whose values must never be shown.
  public var secretArguments: Set<Int>

  public init(
    _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
    directory: String? = nil, secretArguments: Set<Int> = []
  ) {
    self.arguments = arguments
    self.input = input
    self.environment = environment
    self.directory = directory
    self.secretArguments = secretArguments
  }

  /// The command as a reader would type it, with secret arguments masked.
  public var description: String {
    arguments.enumerated().map { index, argument in
      secretArguments.contains(index) ? "********" : Command.displayQuote(argument)
    }.joined(separator: " ")
  }

  /// Quotes an argument for display only (never for execution).
  static func displayQuote(_ argument: String) -> String {
    let safe =
      !argument.isEmpty
      && argument.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || "-_./:=@%+,".unicodeScalars.contains($0)
      }
    return safe ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

extension Command: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: String...) { self.init(elements) }
}

/// What a finished command returned.
public struct CommandOutput: Sendable, Hashable {
  public var exitCode: Int32
  public var standardOutput: Data
  public var standardError: Data

  public init(exitCode: Int32, standardOutput: Data = Data(), standardError: Data = Data()) {
    self.exitCode = exitCode
    self.standardOutput = standardOutput
    self.standardError = standardError
  }

  public init(exitCode: Int32, stdout: String, stderr: String = "") {
    self.init(
      exitCode: exitCode, standardOutput: Data(stdout.utf8), standardError: Data(stderr.utf8))
  }

  public var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
  public var stderr: String { String(decoding: standardError, as: UTF8.self) }
  public var succeeded: Bool { exitCode == 0 }
}
