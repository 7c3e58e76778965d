public import Foundation

/// A file of variables (`group_vars/`, `host_vars/`, `-e @file`): JSON, or YAML in the
/// subset `YAMLSubset` documents; either may be a whole ansible-vault file, and YAML may hold
/// `!vault` values. What comes out of a vault is handed to `vault` to be kept secret.
public enum VarsFile {
  public static func parse(
    _ data: Data, file: String, vault: (any VaultDecryptor)? = nil
  ) throws -> JSONValue {
    var text = String(decoding: data, as: UTF8.self)
    var fromVault = false
    if text.drop(while: \.isWhitespace).hasPrefix("$ANSIBLE_VAULT;") {
      guard let vault else { throw needsPassword(SourceLocation(file: file, line: 1)) }
      text = try vault.decrypt(text, at: SourceLocation(file: file, line: 1))
      fromVault = true
    }
    if text.allSatisfy(\.isWhitespace) { return .null }
    let value: JSONValue
    if let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" {
      do {
        value = try JSONValue.parse(Data(text.utf8))
      } catch {
        throw DefinitionErrors([PlaybookLoader.diagnostic(for: error, in: file)])
      }
    } else {
      value = try YAMLSubset.parse(text, file: file) { vaultText, location in
        guard let vault else { throw needsPassword(location) }
        let plaintext = try vault.decrypt(vaultText, at: location)
        vault.keepSecret([plaintext])
        return .string(plaintext)
      }
    }
    if fromVault, let vault { vault.keepSecret(value.secretTexts) }
    return value
  }

  /// The one error for a vault met without a password, wherever it is met.
  public static func needsPassword(_ location: SourceLocation) -> DefinitionErrors {
    DefinitionErrors([
      Diagnostic(
        at: location, "this file holds an ansible-vault value, and no vault password was given",
        note: "give one with --vault-password-file, --ask-vault-pass or --vault-id")
    ])
  }
}
