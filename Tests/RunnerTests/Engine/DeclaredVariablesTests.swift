import Engine
import Testing

@testable import Roles

/// Variables declared in a table, defined here so every form of `RoleVariable` is exercised
/// with no role's own rules in the way.
private struct ShopVariables: DeclaredVariables, Equatable {
  enum Payment: String, Decodable, Equatable { case card, cash }

  var name = ""
  var port = 8080
  var motto: String?
  var payment = Payment.cash
  var cardKey: String?
  var tags: [String] = []
  var token = ""

  var takesCards: Bool { payment == .card }

  static var declarations: [RoleVariable<Self>] {
    [
      .required("shop_name", \.name, rules: [.name]),
      .optional("shop_port", \.port, rules: [.port]),
      .optional("shop_motto", \.motto),
      .optional("shop_payment", \.payment),
      .required("shop_card_key", \.cardKey, when: \.takesCards, secret: true),
      .optional("shop_tags", \.tags),
      .required("shop_token", \.token, secret: true),
    ]
  }

  var problems: [VariableProblem<Self>] {
    tags.contains(name) ? [VariableProblem(\.tags, "a tag may not repeat the name")] : []
  }
}

@Suite struct DeclaredVariablesTests {
  private func decode(_ members: [String: JSONValue]) throws -> ShopVariables {
    try JSONValue.object(members).decode(ShopVariables.self)
  }

  private func problems(_ members: [String: JSONValue]) -> [String] {
    do {
      _ = try decode(members)
      return []
    } catch {
      return DecodingDiagnostics.describeAll(error).map { "\($0.path): \($0.message)" }
    }
  }

  @Test func `names, secrets and a property's name come from the one table`() {
    #expect(
      ShopVariables.variableNames == [
        "shop_name", "shop_port", "shop_motto", "shop_payment", "shop_card_key", "shop_tags",
        "shop_token",
      ])
    #expect(ShopVariables.secretVariableNames == ["shop_card_key", "shop_token"])
    #expect(ShopVariables.name(of: \.port) == "shop_port")
    #expect(ShopVariables.declaration(of: \.cardKey).isSecret)
  }

  @Test func `defaults stay, given values are read, texts convert as Ansible's do`() throws {
    let shop = try decode(["shop_name": "corner", "shop_token": "t", "shop_port": "9090"])
    var expected = ShopVariables()
    expected.name = "corner"
    expected.token = "t"
    expected.port = 9090
    #expect(shop == expected)
    #expect(shop.motto == nil)
  }

  @Test func `a variable required only in some cases is required in those`() throws {
    #expect(
      problems(["shop_name": "corner", "shop_token": "t", "shop_payment": "card"]) == [
        "$.shop_card_key: missing required variable, expected a string"
      ])
    let paid = try decode([
      "shop_name": "corner", "shop_token": "t", "shop_payment": "card", "shop_card_key": "k",
    ])
    #expect(paid.cardKey == "k")
    #expect(try decode(["shop_name": "corner", "shop_token": "t"]).cardKey == nil)
  }

  @Test func `every problem is reported at once, rules and checks across variables included`() {
    let found = problems([
      "shop_name": "a b", "shop_port": 70000, "shop_prot": 1, "shop_tags": ["a b"],
      "shop_motto": 3,
    ])
    #expect(
      found == [
        "$.shop_prot: unknown key 'shop_prot'; did you mean 'shop_port'?",
        "$.shop_name: expected a name of letters, digits, '-', '_' or '.', found \"a b\"",
        "$.shop_port: expected a port in 1...65535, found 70000",
        "$.shop_motto: expected a string, found an integer",
        "$.shop_token: missing required variable, expected a string",
        "$.shop_tags: a tag may not repeat the name",
      ], "\(found)")
  }

  @Test func `the dci_api tables agree: every environment setting names a declared variable`() {
    let declared = DCIAPIVariables.declarations.map(\.property)
    for setting in DCIAPIVariables.environmentSettings + DCIAPIVariables.gunicornSettings {
      #expect(declared.contains(setting.property), "\(setting.name)")
    }
    // A setting is secret exactly when its variable is: those are the Podman secrets.
    var variables = DCIAPIVariables()
    variables.storeEngine = .s3
    variables.s3AccessKeyID = "id"
    variables.s3SecretAccessKey = "key"
    let secrets = variables.environment.secrets.map(\.name)
    #expect(
      secrets == [
        "DB_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "RHDL_SERVICE_ACCOUNT_ACCESS_KEY", "RHDL_SERVICE_ACCOUNT_SECRET_KEY",
      ])
    #expect(
      Set(DCIAPIVariables.secretVariableNames) == [
        "dbpassword", "store_s3_aws_secret_access_key", "rhdl_service_account_secret_key",
        "sso_public_key", "store_s3_aws_access_key_id", "rhdl_service_account_access_key",
      ])
  }
}
