import Engine
import Foundation
import Testing
import Vault

/// Files made by the real `ansible-vault` (ansible-core 2.19.14: `encrypt`, `encrypt --vault-id
/// prod@…`, `encrypt_string`), in Fixtures/ansible/vault, with their passwords beside them.
@Suite struct AnsibleVaultTests {
  let folder: URL

  init() throws {
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    folder = fixtures.appending(path: "ansible/vault")
  }

  func keyring(_ passwords: [(String, String)]) -> VaultKeyring {
    VaultKeyring(
      secrets: passwords.map { AnsibleVault.Secret(label: $0.0, password: Array($0.1.utf8)) })
  }

  func read(_ name: String, with keyring: VaultKeyring?) throws -> JSONValue {
    let url = folder.appending(path: name)
    return try VarsFile.parse(Data(contentsOf: url), file: url.path, vault: keyring)
  }

  let expected: JSONValue = .object([
    "vault_db_password": .string("db-Secr3t-value"),
    "vault_sso_public_key": .string(
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsso\n"
        + "-----END PUBLIC KEY-----\n"),
    "vault_port": .int(5432),
  ])

  @Test func `a whole vault file decrypts, and every string in it is kept secret`() throws {
    let password = try VaultKeyring.secrets(
      ids: [], passwordFiles: [folder.appending(path: "password").path], askPassword: false)
    let keys = VaultKeyring(secrets: password)
    #expect(try read("vault.yml", with: keys) == expected)
    #expect(keys.secretValues.contains("db-Secr3t-value"))
    #expect(keys.secretValues.contains { $0.hasPrefix("-----BEGIN PUBLIC KEY") })
  }

  @Test func `a 1.2 vault takes the password of its vault id first`() throws {
    let secrets = try VaultKeyring.secrets(
      ids: [
        "dev@" + folder.appending(path: "password").path,
        "prod@" + folder.appending(path: "prod-password").path,
      ],
      passwordFiles: [], askPassword: false)
    #expect(secrets.map(\.label) == ["dev", "prod"])
    #expect(try read("vault-prod.yml", with: VaultKeyring(secrets: secrets)) == expected)
  }

  @Test func `an inline !vault value decrypts and is secret`() throws {
    let keys = keyring([("default", "vault-Test-pw")])
    #expect(
      try read("inline.yml", with: keys)
        == .object([
          "plain_name": .string("dci"), "inline_secret": .string("inline-Secr3t"),
          "after": .int(1),
        ]))
    #expect(keys.secretValues == ["inline-Secr3t"])
  }

  @Test func `a wrong or missing password is one clear error naming the file`() throws {
    for (keys, message) in [
      (keyring([("default", "not-it")]), "the vault password is wrong"),
      (nil, "no vault password was given"),
    ] {
      let error = #expect(throws: DefinitionErrors.self) { try read("vault.yml", with: keys) }
      #expect(error?.problems.count == 1)
      let text = error?.problems.first?.description ?? ""
      #expect(text.hasPrefix(folder.appending(path: "vault.yml").path + ":1:"), "\(text)")
      #expect(text.contains(message), "\(text)")
      #expect(!text.contains("not-it") && !text.contains("Secr3t"))
    }
    let wrongID = #expect(throws: DefinitionErrors.self) {
      try read("vault-prod.yml", with: keyring([("dev", "vault-Test-pw")]))
    }
    #expect(wrongID?.problems.first?.message.contains("vault id 'prod'") == true)
  }

  @Test func `a tampered vault is refused before decryption`() throws {
    var text = try String(contentsOf: folder.appending(path: "vault.yml"), encoding: .utf8)
    var lines = text.split(separator: "\n").map(String.init)
    let last = lines.count - 1
    lines[last] = String(lines[last].dropLast()) + (lines[last].hasSuffix("0") ? "1" : "0")
    text = lines.joined(separator: "\n")
    let error = #expect(throws: DefinitionErrors.self) {
      try VarsFile.parse(
        Data(text.utf8), file: "t.yml", vault: keyring([("default", "vault-Test-pw")]))
    }
    #expect(error?.problems.first?.message.contains("password is wrong") == true)
  }

  @Test func `a password file's first line is the password, a script's output too`() throws {
    let directory = try TemporaryDirectory()
    defer { withExtendedLifetime(directory) {} }
    let script = try directory.writeExecutable("pass.sh", "#!/bin/sh\necho vault-Test-pw\n")
    let secrets = try VaultKeyring.secrets(
      ids: [], passwordFiles: [script.path], askPassword: false)
    #expect(try read("vault.yml", with: VaultKeyring(secrets: secrets)) == expected)
    let missing = #expect(throws: DefinitionErrors.self) {
      try VaultKeyring.secrets(ids: [], passwordFiles: ["/nonexistent"], askPassword: false)
    }
    #expect(missing?.problems.first?.description.contains("/nonexistent") == true)
    let prompted = try VaultKeyring.secrets(
      ids: ["ops@prompt"], passwordFiles: [], askPassword: false, prompt: { _ in "vault-Test-pw" })
    #expect(prompted.map(\.label) == ["ops"])
  }
}
