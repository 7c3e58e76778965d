import Engine
import Foundation

/// What one unchanged run read from a real host: every file and every command's output, as
/// the connection answered them. Replayed, it is a host that answers from memory.
struct Recording: Codable, Sendable {
  struct Question: Codable, Hashable, Sendable {
    var arguments: [String]
    var environment: [String: String]
    var directory: String?
    var input: Data?

    init(_ command: Command) {
      arguments = command.arguments
      environment = command.environment
      directory = command.directory
      input = command.input
    }
  }

  struct Answer: Codable, Sendable {
    var exitCode: Int32
    var standardOutput: Data
    var standardError: Data

    init(_ output: CommandOutput) {
      exitCode = output.exitCode
      standardOutput = output.standardOutput
      standardError = output.standardError
    }

    var output: CommandOutput {
      CommandOutput(
        exitCode: exitCode, standardOutput: standardOutput, standardError: standardError)
    }
  }

  struct Exchange: Codable, Sendable {
    var question: Question
    var answer: Answer
  }

  /// Path → contents; a path read and found absent has no contents.
  var files: [String: Data?] = [:]
  var commands: [Exchange] = []
}
