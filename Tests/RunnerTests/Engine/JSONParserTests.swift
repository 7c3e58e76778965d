import Engine
import Foundation
import Testing

/// The strict JSON reader behind playbooks, inventories and `-e`: the same values Foundation's
/// decoder gave, plus positions, duplicate keys and a depth limit.
struct JSONParserTests {
  @Test func `values keep the types Foundation's decoder gave them`() throws {
    let text = #"""
      {"int": 2, "integral": 2.0, "exp": 1e2, "neg": -7, "double": 1.5, "big": 9.3e18,
       "t": true, "f": false, "n": null, "s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "list": [1, "x"],
       "empty": {}, "none": []}
      """#
    let value = try JSONValue.parse(Data(text.utf8))
    let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    #expect(value == expected)
    #expect(value.objectValue?["integral"] == .int(2))
    #expect(value.objectValue?["double"] == .double(1.5))
    #expect(value.objectValue?["s"] == .string("a\"b\\c/d\n\té😀"))
  }

  /// Foundation reads `9223372036854775808` as the nearest Double, another number: an
  /// integer that does not fit is refused instead.
  @Test func `an integer beyond 64 bits is refused, not rounded`() throws {
    for text in ["9223372036854775808", "-9223372036854775809", "18446744073709551616"] {
      #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data("[\(text)]".utf8)) }
    }
    #expect(try JSONValue.parse(Data("[-9223372036854775808]".utf8)) == .array([.int(.min)]))
  }

  @Test func `the shipped playbook and inventory read as before`() throws {
    for name in ["dci_api.json", "inventory.example.json", "secrets.example.json"] {
      let data = try Data(
        contentsOf: DCIAPIPlaybook.repository.appendingPathComponent("playbooks/\(name)"))
      #expect(try JSONValue.parse(data) == JSONDecoder().decode(JSONValue.self, from: data))
    }
  }

  @Test(arguments: [
    ("[1,]", 1, 4, "expected a value, found ']'"),
    ("{\"a\" 1}", 1, 6, "expected ':' after the key 'a', found '1'"),
    ("[01]", 1, 3, "a number cannot start with 0 (found a leading zero)"),
    ("[1.]", 1, 4, "expected a digit after '.', found ']'"),
    ("[\"\\x\"]", 1, 3, "invalid escape '\\x' in a string"),
    ("[\"\\ud800\"]", 1, 9, "a \\u escape holds half of a surrogate pair without the other"),
    ("[1e999]", 1, 2, "the number 1e999 is out of range"),
    ("\n\n  nul", 3, 3, "expected a value, found an unquoted word"),
    ("[None]", 1, 2, "expected a value, found 'None'"),
    ("[yes]", 1, 2, "expected a value, found 'yes'"),
    ("[Trueish]", 1, 2, "expected a value, found an unquoted word"),
    ("", 1, 1, "the document is empty; expected a JSON value"),
    ("[\"é\", x]", 1, 7, "expected a value, found an unquoted word"),
  ])
  func `syntax errors say where`(text: String, line: Int, column: Int, message: String) {
    let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data(text.utf8)) }
    #expect(error?.line == line)
    #expect(error?.column == column)
    #expect(error?.message == message)
  }

  @Test func `a duplicated key is an error at the second one, naming the first`() {
    let text = "{\"hosts\": {\"a\": 1,\n  \"a\": 2}}"
    let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data(text.utf8)) }
    #expect(error?.path.description == "$.hosts.a")
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.message.hasPrefix("duplicate key 'a' (first at line 1, column 12)") == true)
  }

  @Test func `a byte order mark is skipped, nesting is limited`() throws {
    #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == [1])
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data(deep.utf8)) }
    #expect(error?.message == "nested deeper than 512 levels")
    let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect(throws: Never.self) { try JSONValue.parse(Data(fine.utf8)) }
  }
}
