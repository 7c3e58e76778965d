import Engine
import Foundation
import Modules
import Testing

/// Arguments and variables are decoded straight from `JSONValue`, with the one reader's
/// wording; a test that hands Foundation's decoder gets the same values and the same problems.
@Suite struct JSONValueDecoderTests {
  private struct Listener: Decodable, Equatable {
    var name: String
    var port: UInt16
    var weight: Double
    var tags: [String]
    var backup: Bool?
    var extra: [String: Int]
  }

  private func problems<T: Decodable>(_ value: JSONValue, as type: T.Type) -> [String] {
    do {
      _ = try value.decode(type)
      return []
    } catch {
      return DecodingDiagnostics.describeAll(error).map { "\($0.path): \($0.message)" }
    }
  }

  @Test func `nested objects, lists, optionals and numbers decode as Foundation decodes them`()
    throws
  {
    let value: JSONValue = [
      "name": "api", "port": 8080, "weight": 2, "tags": ["a", "b"], "extra": ["x": 1],
    ]
    let direct = try value.decode(Listener.self)
    let viaText = try JSONDecoder().decode(Listener.self, from: JSONEncoder().encode(value))
    #expect(direct == viaText)
    #expect(
      direct == Listener(name: "api", port: 8080, weight: 2, tags: ["a", "b"], extra: ["x": 1]))
    #expect(try JSONValue.double(3).decode(Int.self) == 3)
    #expect(try JSONValue.null.decode(Int?.self) == nil)
    #expect(try JSONValue.array([.int(1), .null]).decode([Int?].self) == [1, nil])
  }

  @Test func `every wrong value is reported at its path in one wording`() {
    #expect(
      problems(
        ["name": ["x"], "port": 1, "weight": 1, "tags": [], "extra": [:]], as: Listener.self)
        == ["$.name: expected a string, found a list"])
    #expect(
      problems(
        ["name": "a", "port": 70000, "weight": 1, "tags": [], "extra": [:]], as: Listener.self)
        == ["$.port: expected an integer, found 70000, which is too large"])
    #expect(
      problems(
        ["name": "a", "port": 1, "weight": "1", "tags": [], "extra": [:]], as: Listener.self)
        == ["$.weight: expected a number, found a string"])
    #expect(
      problems(
        ["name": "a", "port": 1, "weight": 1, "tags": ["a", 2], "extra": [:]], as: Listener.self)
        == ["$.tags[1]: expected a string, found an integer"])
    #expect(
      problems(
        ["name": "a", "port": 1, "weight": 1, "tags": [], "extra": ["x": .double(2.5)]],
        as: Listener.self)
        == ["$.extra.x: expected an integer, found 2.5"])
    #expect(
      problems(["name": "a", "port": 1, "weight": 1, "tags": []], as: Listener.self)
        == ["$: missing required key 'extra'"])
    #expect(
      problems(.int(-1), as: UInt.self) == ["$: expected an integer, found -1, which is too small"])
    #expect(problems(.null, as: Bool.self) == ["$: expected a boolean, found null"])
  }

  @Test func `a module decoded either way reports the same problems`() {
    let arguments: JSONValue = ["path": "/etc/app", "state": "gone", "mode": ["x"], "ownr": "root"]
    let direct = problems(arguments, as: File.self)
    let viaFoundation: [String]
    do {
      _ = try JSONDecoder().decode(File.self, from: JSONEncoder().encode(arguments))
      viaFoundation = []
    } catch {
      viaFoundation = DecodingDiagnostics.describeAll(error).map { "\($0.path): \($0.message)" }
    }
    #expect(direct == viaFoundation)
    #expect(direct.contains("$.ownr: unknown key 'ownr'; did you mean 'owner'?"))
    #expect(
      direct.contains { $0.hasPrefix("$.mode: expected a mode") && $0.hasSuffix("found a list") })
    #expect(direct.contains { $0.hasPrefix("$.state:") })
  }
}
