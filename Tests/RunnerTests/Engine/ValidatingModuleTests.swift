import Engine
import Modules
import Testing

/// One list of argument problems serves a module built in Swift (`validate()`) and one
/// decoded from JSON (`ArgumentReader.finish(checking:)`), without blaming an argument twice.
@Suite struct ValidatingModuleTests {
  private func decodingProblems(_ arguments: JSONValue) -> [String] {
    do {
      _ = try arguments.decode(Template.self)
      return []
    } catch {
      return DecodingDiagnostics.describeAll(error).map { "\($0.path): \($0.message)" }
    }
  }

  @Test func `a module built in Swift reports its problems by argument`() {
    let module = Template(destination: "/etc/app/", contents: "x", validate: "true")
    #expect(
      module.validate() == [
        "dest: expected a file path, found a directory path ending in '/': '/etc/app/'",
        "validate: validate must contain %s: true",
      ])
  }

  @Test func `the same problems, decoded, are at the argument's path`() {
    #expect(
      decodingProblems(["content": "x", "dest": "/etc/app/", "validate": "true"]) == [
        "$.dest: expected a file path, found a directory path ending in '/': '/etc/app/'",
        "$.validate: validate must contain %s: true",
      ])
  }

  @Test func `an argument already refused is not blamed again for its placeholder`() {
    // `dest` is refused as relative; its placeholder, "/", would also be "a directory path".
    #expect(
      decodingProblems(["content": "x", "dest": "etc/app"]) == [
        "$.dest: expected an absolute path, found 'etc/app'"
      ])
  }
}
