import Engine
import Testing

/// Variables every table reads, through the real `Variables.lookup` so dotted names, list
/// indexes and undefined errors behave as they do in a run.
private let variables = Variables(layers: [
  [
    "result": [
      "rc": 1, "stdout": "ready", "changed": true, "failed": false,
      "stdout_lines": ["ready", "steady"],
    ],
    "skipped_result": ["changed": false, "skipped": true],
    "failed_result": ["changed": false, "failed": true, "rc": 2],
    "loop_result": ["results": [["changed": false], ["changed": true]]],
    "items": ["a", "b", "c"],
    "matrix": [[1, 2], [3, 4]],
    "user": ["name": "Ada", "first.name": "Ada", "0": "zero"],
    "key_name": "name",
    "attempts": 3,
    "ratio": .double(0.5),
    "flag": true,
    "off": false,
    "empty": "",
    "nothing": .null,
    "padded": "  Mixed Case \n",
    "count_text": "42",
  ]
])

private func evaluate(_ text: String) throws -> JSONValue {
  try Expression(text).evaluate { try variables.lookup($0) }
}

/// The error a test lookup throws for a name it does not know, to check it arrives unchanged.
private struct Undefined: Error, Equatable {
  var name: String
}

private func lookup(in values: [String: JSONValue]) -> (String) throws -> JSONValue {
  { name in
    guard let value = values[name] else { throw Undefined(name: name) }
    return value
  }
}

struct ExpressionTests {
  @Test(
    arguments: [
      ("true", true), ("True", true), ("false", false), ("False", false),
      ("none", .null), ("None", .null), ("42", 42), ("-7", -7), ("- 7", -7), ("1_000", 1000),
      ("3.5", .double(3.5)), ("-0.25", .double(-0.25)), ("1e3", .double(1000)),
      ("2.5E-1", .double(0.25)), ("'single'", "single"), ("\"double\"", "double"),
      ("'it\\'s'", "it's"), ("\"a\\tb\\n\"", "a\tb\n"), ("'\\u00e9\\x41'", "éA"),
      ("'back\\\\slash'", "back\\slash"), ("'\\d'", "\\d"), ("'multi\nline'", "multi\nline"),
      ("[1, 'a', none]", [1, "a", .null]), ("[]", []), ("[1, 2,]", [1, 2]), ("(1, 2)", [1, 2]),
      ("()", []), ("(1,)", [1]), ("((3))", 3), ("{'a': 1, \"b\": [true]}", ["a": 1, "b": [true]]),
      ("{}", [:]),
    ] as [(String, JSONValue)])
  func `literals parse as jinja`(text: String, expected: JSONValue) throws {
    #expect(try evaluate(text) == expected)
  }

  @Test(
    arguments: [
      ("result.rc", 1), ("result['rc']", 1), ("result[\"stdout\"]", "ready"), ("items[0]", "a"),
      ("items.1", "b"), ("items[-1]", "c"), ("matrix[1][0]", 3), ("matrix.1.1", 4),
      ("matrix.0.1", 2),
      ("user['first.name']", "Ada"), ("user[key_name]", "Ada"), ("user['0']", "zero"),
      ("result.stdout_lines[1]", "steady"), ("(result).rc", 1), ("['x', 'y'][1]", "y"),
      ("'abc'[-1]", "c"), ("{'k': 'v'}.k", "v"), ("nothing", .null),
    ] as [(String, JSONValue)])
  func `names and subscripts resolve`(text: String, expected: JSONValue) throws {
    #expect(try evaluate(text) == expected)
  }

  @Test(arguments: [
    ("1 == 1", true), ("1 == 1.0", true), ("true == 1", true), ("'1' == 1", false),
    ("'abc' != 'abd'", true), ("none == none", true), ("none == false", false),
    ("[1, 2] == [1, 2.0]", true), ("[1, 2] == [2, 1]", false), ("{'a': 1} == {'a': 1.0}", true),
    ("{'a': 1} != {'a': 1, 'b': 2}", true), ("2 > 1.5", true), ("2 >= 2", true),
    ("1 < 2", true), ("2 <= 1", false), ("'a' < 'b'", true), ("'B' < 'a'", true),
    ("'abc' > 'ab'", true), ("[1, 2] < [1, 3]", true), ("[1, 2] < [1, 2, 0]", true),
    ("1 < 2 < 3", true), ("3 > 2 > 2", false), ("1 < 3 > 2", true), ("ratio < 1", true),
    ("attempts >= 3", true), ("result.stdout == 'ready'", true),
  ])
  func `comparisons follow jinja`(text: String, expected: Bool) throws {
    #expect(try evaluate(text) == .bool(expected))
  }

  @Test(arguments: [
    ("2 in [1, 2]", true), ("2.0 in [1, 2]", true), ("'b' in items", true),
    ("'z' in items", false), ("'ell' in 'hello'", true), ("'' in 'abc'", true),
    ("'rc' in result", true), ("'nope' in result", false), ("1 in {'1': 1}", false),
    ("3 not in [1, 2]", true), ("'x' not in 'abc'", true), ("'a' not in items", false),
    ("[1] in [[1], [2]]", true),
  ])
  func `membership covers lists strings and objects`(text: String, expected: Bool) throws {
    #expect(try evaluate(text) == .bool(expected))
  }

  @Test(arguments: [
    ("result is defined", true), ("result.rc is defined", true), ("missing is defined", false),
    ("missing is undefined", true), ("missing.x is not defined", true),
    ("result.nope is defined", false), ("items[7] is defined", false),
    ("nothing is defined", true), ("nothing is none", true), ("result is not none", true),
    ("result is changed", true), ("skipped_result is changed", false),
    ("loop_result is changed", true), ("failed_result is failed", true),
    ("result is failed", false), ("result is success", true), ("result is succeeded", true),
    ("failed_result is succeeded", false), ("skipped_result is skipped", true),
    ("result is skipped", false), ("flag is true", true), ("1 is true", false),
    ("off is false", true), ("empty is false", false), ("empty is string", true),
    ("attempts is number", true), ("ratio is number", true), ("flag is number", true),
    ("'3' is number", false), ("items is sequence", true), ("'abc' is sequence", true),
    ("result is sequence", true), ("3 is sequence", false), ("result is mapping", true),
    ("items is mapping", false), ("result is ansible.builtin.changed", true),
  ])
  func `is tests read results and types`(text: String, expected: Bool) throws {
    #expect(try evaluate(text) == .bool(expected))
  }

  @Test(
    arguments: [
      ("'yes' | bool", true), ("'On' | bool", true), ("'TRUE' | bool", true), ("'1' | bool", true),
      ("'no' | bool", false), ("'maybe' | bool", false), ("1 | bool", true), ("0 | bool", false),
      ("flag | bool", true), ("nothing | bool", false), ("'YES' | ansible.builtin.bool", true),
      ("count_text | int", 42), ("' 7 ' | int", 7), ("'3.9' | int", 3), ("'x' | int", 0),
      ("ratio | int", 0), ("-2.7 | int", -2), ("flag | int", 1), ("nothing | int", 0),
      ("items | length", 3), ("'héllo' | length", 5), ("result | length", 5), ("[] | length", 0),
      ("'MiXed' | lower", "mixed"), ("'MiXed' | upper", "MIXED"), ("flag | lower", "true"),
      ("padded | trim", "Mixed Case"), ("padded | trim | lower", "mixed case"),
      ("'x' | lower()", "x"), ("missing | default(5)", 5), ("missing.y | default('d')", "d"),
      ("items[9] | default(0)", 0), ("result.rc | default(5)", 1), ("nothing | default(1)", .null),
      ("empty | default('x')", ""), ("empty | default('x', true)", "x"),
      ("flag | default('x', true)", true), ("missing | default", ""),
      ("missing | default(none)", .null), ("result.rc | default(missing)", 1),
      ("missing | default(items) | length", 3), ("missing | default({}) | length", 0),
    ] as [(String, JSONValue)])
  func `filters transform values`(text: String, expected: JSONValue) throws {
    #expect(try evaluate(text) == expected)
  }

  @Test(arguments: [false, true])
  func `not binds tighter than and which binds tighter than or`(a: Bool) throws {
    for b in [false, true] {
      for c in [false, true] {
        let values: [String: JSONValue] = ["a": .bool(a), "b": .bool(b), "c": .bool(c)]
        let isTrue = try Expression("not a and b or c").isTrue(lookup(in: values))
        #expect(isTrue == ((!a && b) || c), "a=\(a) b=\(b) c=\(c)")
        let right = try Expression("a or b and not c").isTrue(lookup(in: values))
        #expect(right == (a || (b && !c)), "a=\(a) b=\(b) c=\(c)")
      }
    }
  }

  @Test(arguments: [
    ("not missing is defined", "not (missing is defined)"),
    ("not 1 == 2", "not (1 == 2)"),
    ("items | length > 2", "(items | length) > 2"),
    ("-2.7 | int", "(-2.7) | int"),
    ("1 == 1 and 2 == 3 or true", "((1 == 1) and (2 == 3)) or true"),
    ("'a' in items == true", "('a' in items) and (items == true)"),
    ("not not flag", "not (not flag)"),
  ])
  func `precedence matches jinja`(text: String, grouped: String) throws {
    #expect(try evaluate(text) == evaluate(grouped))
  }

  @Test(arguments: [
    ("missing is defined and missing.y == 1", false),
    ("result is defined and result.rc == 1", true),
    ("false and missing", false),
    ("true or missing", true),
    ("missing is undefined or missing.y", true),
    ("result.rc == 1 or missing", true),
  ])
  func `and and or short circuit`(text: String, expected: Bool) throws {
    #expect(try Expression(text).isTrue { try variables.lookup($0) } == expected)
  }

  @Test(
    arguments: [
      ("'' or 'x'", "x"), ("'a' or 'x'", "a"), ("0 and missing", 0), ("1 and 'y'", "y"),
      ("[] or none", .null), ("not ''", true),
    ] as [(String, JSONValue)])
  func `and and or return an operand as python does`(text: String, expected: JSONValue) throws {
    #expect(try evaluate(text) == expected)
  }

  @Test(
    arguments: [
      ("result.rc not in [0, 1]", ["result": ["rc": 1]], false),
      ("result.rc not in [0, 1]", ["result": ["rc": 2]], true),
      ("rc not in [0,1]", ["rc": 0], false),
      ("result is changed", ["result": ["changed": true]], true),
      ("result is changed", ["result": ["changed": false]], false),
      ("result.stdout == 'ready'", ["result": ["stdout": "ready"]], true),
      ("result.stdout == 'ready'", ["result": ["stdout": "starting"]], false),
      ("attempts >= 3", ["attempts": 2], false),
      ("attempts >= 3", ["attempts": 3], true),
      ("result is failed", ["result": ["failed": true]], true),
    ] as [(String, [String: JSONValue], Bool)])
  func `spec examples evaluate as ansible does`(
    text: String, values: [String: JSONValue], expected: Bool
  ) throws {
    let lookup = { (name: String) throws -> JSONValue in
      try Variables(layers: [values]).lookup(name)
    }
    #expect(try Expression(text).isTrue(lookup) == expected)
  }

  @Test(arguments: [
    ("missing", "missing"), ("missing == 1", "missing"), ("missing | length", "missing"),
    ("missing.y", "missing.y"), ("x['k']", "x.k"), ("x[0] == 1", "x.0"),
    ("missing is none", "missing"), ("not missing", "missing"), ("[missing]", "missing"),
    ("x | default(1) == missing", "missing"), ("missing is changed", "missing"),
  ])
  func `undefined names propagate the lookup error unchanged`(text: String, name: String) throws {
    let expression = try Expression(text)
    #expect(throws: Undefined(name: name)) {
      try expression.evaluate(lookup(in: [:]))
    }
  }

  /// Static subscripts on a name reach the lookup as a dotted name and fail there; the rest
  /// are resolved here and quote their source.
  @Test(arguments: [
    ("items[9]", "items.9"), ("result['nope']", "result.nope"), ("items[-9]", "items[-9]"),
    ("user['a.b']", "user['a.b']"), ("'abc'[5]", "'abc'[5]"), ("items['0']", "items['0']"),
    ("user[attempts]", "user[attempts]"), ("(user).nope", "user.nope"),
    ("{'a': 1}.b", "{'a': 1}.b"),
  ])
  func `missing subscripts are undefined`(text: String, name: String) throws {
    #expect(throws: TemplateError.undefined(name, suggestion: nil)) { try evaluate(text) }
    #expect(try evaluate("\(text) is undefined") == true)
  }

  @Test(arguments: ["later is defined", "later | default(1)", "later.rc is undefined"])
  func `deferred references are not taken as undefined`(text: String) throws {
    let expression = try Expression(text)
    #expect(throws: DeferredReference.self) {
      try expression.evaluate { name in throw DeferredReference(name: name) }
    }
  }

  @Test(arguments: [
    ("", ExpressionError.unexpected("end of expression", expected: "a value", column: 1)),
    ("x ==", .unexpected("end of expression", expected: "a value", column: 5)),
    ("(x", .unexpected("end of expression", expected: "',' or ')'", column: 3)),
    (
      "x y",
      .unexpected("name 'y'", expected: "an operator or the end of the expression", column: 3)
    ),
    ("x = 1", .unexpected("'='", expected: "'==' to compare", column: 3)),
    ("x and", .unexpected("end of expression", expected: "a value", column: 6)),
    ("and x", .unexpected("name 'and'", expected: "a value", column: 1)),
    ("x == )", .unexpected("')'", expected: "a value", column: 6)),
    ("'abc", .unterminatedString(column: 1)),
    ("x == \"a", .unterminatedString(column: 6)),
    ("x && y", .unexpected("character '&'", expected: "'and'", column: 3)),
    ("!x", .unexpected("character '!'", expected: "'!=' or 'not'", column: 1)),
    ("[1 2]", .unexpected("integer 2", expected: "',' or ']'", column: 4)),
    ("x is", .unexpected("end of expression", expected: "a test name after 'is'", column: 5)),
    ("x is not 3", .unexpected("integer 3", expected: "a test name after 'is'", column: 10)),
    ("x |", .unexpected("end of expression", expected: "a filter name after '|'", column: 4)),
    ("x.", .unexpected("end of expression", expected: "an attribute name after '.'", column: 3)),
    ("x['a'", .unexpected("end of expression", expected: "']'", column: 6)),
    ("{'a' 1}", .unexpected("integer 1", expected: "':' after an object key", column: 6)),
    (
      "'\\xZZ'",
      .unexpected("escape '\\xZZ'", expected: "2 hexadecimal digits naming a character", column: 2)
    ),
  ])
  func `syntax errors name the token and column`(text: String, error: ExpressionError) {
    #expect(throws: error) { try Expression(text) }
  }

  @Test(arguments: [
    ("lookup('env', 'HOME')", ExpressionError.unsupported("function call 'lookup(…)'", column: 1)),
    ("x.startswith('a')", .unsupported("method call '.startswith(…)'", column: 3)),
    ("x['k'](1)", .unsupported("call '(…)'", column: 7)),
    ("x | regex_search('a')", .unsupported("filter 'regex_search'", column: 5)),
    ("x | ansible.builtin.to_json", .unsupported("filter 'to_json'", column: 5)),
    ("x is version('1', '>')", .unsupported("test 'version'", column: 6)),
    ("x is defined('y')", .unsupported("arguments to test 'defined'", column: 13)),
    ("x + 1", .unsupported("operator '+' (no arithmetic in conditions)", column: 3)),
    ("x - 1 > 0", .unsupported("operator '-' (no arithmetic in conditions)", column: 3)),
    ("x * 2", .unsupported("operator '*' (no arithmetic in conditions)", column: 3)),
    ("x // 2", .unsupported("operator '//' (no arithmetic in conditions)", column: 3)),
    ("x ** 2", .unsupported("operator '**' (no arithmetic in conditions)", column: 3)),
    ("'a' + x", .unsupported("operator '+' (no arithmetic in conditions)", column: 5)),
    ("+x", .unsupported("operator '+' (no arithmetic in conditions)", column: 1)),
    ("1 if x else 2", .unsupported("conditional expression 'if … else'", column: 3)),
    ("x[1:2]", .unsupported("slice '[:]'", column: 2)),
    ("x[:2]", .unsupported("slice '[:]'", column: 2)),
    (
      "{{ x }}",
      .unsupported(
        "template delimiter '{{' (write the bare expression, without '{{ }}')", column: 1)
    ),
    ("x | int(0)", .unsupported("arguments to filter 'int'", column: 8)),
    ("x | default(1, true, 3)", .unsupported("third argument to filter 'default'", column: 5)),
    ("{x: 1}", .unsupported("object key that is not a quoted string", column: 2)),
    ("99999999999999999999", .unsupported("number 99999999999999999999 (out of range)", column: 1)),
  ])
  func `unsupported constructs are named`(text: String, error: ExpressionError) {
    #expect(throws: error) { try Expression(text) }
  }

  @Test(arguments: [
    (
      "'a' < 1",
      ExpressionError.invalidOperation("'<' cannot compare string with integer", column: 5)
    ),
    ("none >= 1", .invalidOperation("'>=' cannot compare null with integer", column: 6)),
    ("result > [1]", .invalidOperation("'>' cannot compare object with list", column: 8)),
    (
      "1 in 5",
      .invalidOperation("'in' needs a list, string or object on the right, got integer", column: 3)
    ),
    (
      "1 not in 'abc'",
      .invalidOperation("'in' needs a string on the left of a string, got integer", column: 3)
    ),
    (
      "attempts | length",
      .invalidOperation("filter 'length' needs a string, list or object, got integer", column: 12)
    ),
    ("items | upper", .invalidOperation("filter 'upper' needs a string, got list", column: 9)),
    (
      "'x' is changed",
      .invalidOperation(
        "the 'changed' test expects a task result (an object), got string", column: 8)
    ),
    (
      "items is not failed",
      .invalidOperation("the 'failed' test expects a task result (an object), got list", column: 14)
    ),
    ("-key_name", .invalidOperation("cannot negate string", column: 1)),
  ])
  func `evaluation errors give the column`(text: String, error: ExpressionError) throws {
    let expression = try Expression(text)
    #expect(throws: error) { try expression.evaluate { try variables.lookup($0) } }
  }

  @Test(
    arguments: [
      ("true", []), ("result.rc not in [0, 1]", ["result"]), ("item.name == x.0", ["item", "x"]),
      ("a[b.c] | default(d) is none", ["a", "b", "d"]),
      ("a or not b and c in [d]", ["a", "b", "c", "d"]),
      ("{'k': v}['k'] | default(w, flag)", ["v", "w", "flag"]), ("-n < m", ["n", "m"]),
    ] as [(String, Set<String>)])
  func `referenced names are the top-level variables`(text: String, names: Set<String>) throws {
    #expect(try Expression(text).referencedNames == names)
  }

  @Test func `expressions keep their text and compare by it`() throws {
    let expression = try Expression("result.rc  == 0")
    let same = try Expression("result.rc  == 0")
    let respaced = try Expression("result.rc == 0")
    #expect(expression.text == "result.rc  == 0")
    #expect(expression.description == "result.rc  == 0")
    #expect(expression == same)
    #expect(expression != respaced)
    #expect(Set([expression, same, respaced]).count == 2)
  }

  @Test func `error descriptions say what and where`() {
    #expect(
      ExpressionError.unexpected("')'", expected: "a value", column: 6).description
        == "unexpected ')' at column 6; expected a value")
    #expect(
      ExpressionError.unterminatedString(column: 3).description
        == "unterminated string starting at column 3")
    #expect(
      ExpressionError.unsupported("filter 'to_json'", column: 5).description
        .hasPrefix("unsupported filter 'to_json' at column 5; conditions allow"))
    #expect(
      ExpressionError.invalidOperation("cannot negate string", column: 1).description
        == "cannot negate string at column 1")
  }

  @Test(arguments: [(0, false), (1, false), (2, true)])
  func `condition evaluates against a step scope`(rc: Int, fails: Bool) throws {
    var result = StepResult()
    result.values = ["rc": .int(rc)]
    let scope = StepScope(
      host: InventoryHost(name: "h1"), variables: Variables(layers: [["limit": 1]]),
      item: ["name": "web"], result: result)
    let condition = try Expression("rc not in [0, limit] and item.name == 'web'").condition()
    #expect(condition.text == "rc not in [0, limit] and item.name == 'web'")
    #expect(try condition.holds(in: scope) == fails)
  }

  @Test func `a condition on an undefined name throws`() throws {
    let scope = StepScope(host: InventoryHost(name: "h1"), variables: Variables(layers: []))
    let condition = try Expression("missing == 1").condition()
    let error = #expect(throws: TemplateError.self) { try condition.holds(in: scope) }
    guard case .undefined("missing", _)? = error else {
      Issue.record("expected the lookup's undefined error, got \(String(describing: error))")
      return
    }
    #expect(try Expression("missing is undefined").condition().holds(in: scope))
  }
}

/// `{{ }}` in values holds an expression, not only a name (Ansible's templating of values).
@Suite struct TemplateExpressionTests {
  @Test func `a whole expression keeps its type, a part is interpolated`() throws {
    #expect(try variables.resolve("{{ attempts | default(1) }}") == 3)
    #expect(try variables.resolve("{{ missing | default(80) }}") == 80)
    #expect(try variables.resolve("{{ result.rc == 1 }}") == true)
    #expect(try variables.resolve("n={{ user.name ~ '-' ~ attempts }}!") == "n=Ada-3!")
    #expect(try variables.resolve("{{ padded | trim | lower }}") == "mixed case")
  }

  @Test func `'~' joins text in conditions too`() throws {
    #expect(try evaluate("'a' ~ attempts ~ 'b'") == "a3b")
    #expect(try evaluate("user.name ~ '' == 'Ada'") == true)
  }

  @Test func `arithmetic between braces is still refused, naming the text`() {
    #expect(throws: TemplateError.invalidExpression("attempts + 1")) {
      try variables.resolve("{{ attempts + 1 }}")
    }
  }
}

/// A registered result is data: what a host printed is never evaluated as a template.
@Suite struct RegisteredValueTests {
  @Test func `a result holding braces stays text, a play variable holding them is resolved`()
    throws
  {
    var variables = Variables(layers: [["word": "play", "uses": "{{ word }}"]])
    variables.register("result", ["stdout": "{{ not_rendered }} and {{ word }}"])
    #expect(
      try variables.resolve("{{ result.stdout }}") == "{{ not_rendered }} and {{ word }}")
    #expect(try variables.lookup("result.stdout") == "{{ not_rendered }} and {{ word }}")
    #expect(try variables.resolve("{{ uses }}") == "play")
  }
}
