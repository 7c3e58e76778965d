import Foundation
import Synchronization
import Testing

@testable import Engine

/// The YAML subset against PyYAML, the parser Ansible reads vars files with: Fixtures/yaml/
/// vars.yml and what `yaml.safe_load` (PyYAML 6, from ansible-core's own install) made of it,
/// vars.pyyaml.json.
@Suite struct YAMLSubsetTests {
  func parse(_ text: String) throws -> JSONValue {
    try YAMLSubset.parse(text, file: "vars.yml")
  }

  func refusal(_ text: String) -> String {
    do {
      let value = try parse(text)
      return "parsed: \(value.compactJSON)"
    } catch let error as DefinitionErrors {
      return error.problems.map(\.description).joined(separator: "\n")
    } catch {
      return "\(error)"
    }
  }

  @Test func `a vars file reads as PyYAML reads it`() throws {
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let text = try String(contentsOf: fixtures.appending(path: "yaml/vars.yml"), encoding: .utf8)
    let expected = try JSONValue.parse(
      Data(contentsOf: fixtures.appending(path: "yaml/vars.pyyaml.json")))
    let parsed = try parse(text)
    guard case .object(let members) = parsed, case .object(let want) = expected else {
      Issue.record("not a mapping: \(parsed.compactJSON)")
      return
    }
    #expect(Set(members.keys) == Set(want.keys))
    for (key, value) in want { #expect(members[key] == value, "\(key)") }
  }

  @Test func `what the subset leaves out is refused with its line and column`() {
    let cases: [(String, String)] = [
      ("base: &b\n  x: 1\n", "vars.yml:1:7: error: anchors and aliases"),
      ("a: *b\n", "vars.yml:1:4: error: anchors and aliases"),
      ("a: !!str 1\n", "vars.yml:1:4: error: tags are not supported"),
      ("x:\n  <<: {a: 1}\n", "vars.yml:2:3: error: merge keys"),
      ("a: 1\na: 2\n", "vars.yml:2:1: error: duplicate key 'a'"),
      ("a:\n\tb: 1\n", "vars.yml:2:1: error: a tab in indentation"),
      ("a: one\n  two\n", "vars.yml:2:3: error: a plain scalar continued"),
      ("a: 'open\n", "vars.yml:1:9: error: a quoted string must end on its line"),
      ("a: [1, 2\n", "vars.yml:1:9: error: a flow sequence must close"),
      ("a: 1\n---\nb: 2\n", "vars.yml:3:1: error: one YAML document per file"),
      ("a: 1\n b: 2\n", "vars.yml:2:2: error: "),
    ]
    for (text, expected) in cases {
      let found = refusal(text)
      #expect(found.hasPrefix(expected), "\(text.debugDescription): \(found)")
    }
  }

  @Test func `a vault value goes to the vault reader with its place`() throws {
    let seen = Mutex<[String]>([])
    let value = try YAMLSubset.parse(
      "db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3133\nnext: 1\n", file: "v.yml"
    ) { text, location in
      seen.withLock { $0.append("\(location): \(text)") }
      return .string("decrypted")
    }
    #expect(value == .object(["db_password": .string("decrypted"), "next": .int(1)]))
    #expect(seen.withLock { $0 } == ["v.yml:1:14: $ANSIBLE_VAULT;1.1;AES256\n3133\n"])
    #expect(refusal("p: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n").contains("no vault password"))
  }

  @Test func `an empty document is null, and JSON is YAML`() throws {
    #expect(try parse("") == .null)
    #expect(try parse("---\n# nothing\n") == .null)
    #expect(
      try parse(#"{"a": [1, "b"], "c": {"d": null}}"#)
        == .object(["a": .array([.int(1), .string("b")]), "c": .object(["d": .null])]))
  }
}
