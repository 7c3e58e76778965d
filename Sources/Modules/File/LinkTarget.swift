public import Engine

/// Fact: where a symlink points, as written in the link (`readlink`, not resolved).
public struct LinkTarget: Fact {
  public var path: HostPath

  public init(of path: HostPath) { self.path = path }

  public var command: Command {
    Command(["readlink", "--", path.rawValue], environment: ["LC_ALL": "C"])
  }

  public func parse(_ output: CommandOutput) throws -> String {
    guard output.succeeded else {
      throw ModuleError("cannot read the link \(path): \(OutputText.chomp(output.stderr))")
    }
    var text = output.stdout
    if text.unicodeScalars.last == "\n" { text.unicodeScalars.removeLast() }
    return text
  }
}
