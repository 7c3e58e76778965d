/// Opens ansible-vault texts for the files runner reads (vars files, `-e @file`, inline
/// `!vault` values). The seam between the engine and the cryptography (the Vault library,
/// OpenSSL's libcrypto): the engine never sees a password. Every value that came out of a
/// vault is a secret without being declared one: the decryptor keeps them, and the run masks
/// them in all it prints.
public protocol VaultDecryptor: Sendable {
  /// The plaintext of `vaultText`, found at `location`; a wrong or missing password throws.
  func decrypt(_ vaultText: String, at location: SourceLocation) throws -> String
  /// Values read from a vault, to be masked wherever they would be printed.
  func keepSecret(_ values: [String])
  /// Everything kept so far.
  var secretValues: [String] { get }
}
