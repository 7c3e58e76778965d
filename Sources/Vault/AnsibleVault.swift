import CCrypto
import Engine
public import Foundation

/// Decrypts ansible-vault's format, as `ansible-vault encrypt` and `encrypt_string` write it:
///
/// ```
/// $ANSIBLE_VAULT;1.1;AES256            (1.2: $ANSIBLE_VAULT;1.2;AES256;<vault id>)
/// <hex of: hex(salt) \n hex(hmac) \n hex(ciphertext)>, in lines of 80
/// ```
///
/// PBKDF2-HMAC-SHA256 of the password and salt (10,000 rounds) gives 80 bytes: the AES-256
/// key, the HMAC-SHA256 key and the CTR counter. The HMAC of the ciphertext is checked (in
/// constant time) before anything is decrypted; the plaintext carries PKCS#7 padding. All of
/// it is OpenSSL's libcrypto.
public struct AnsibleVault: Sendable {
  /// A password and the vault id it is for (`--vault-id label@file`; "default" without one).
  public struct Secret: Sendable {
    public var label: String
    public var password: [UInt8]

    public init(label: String, password: [UInt8]) {
      self.label = label
      self.password = password
    }
  }

  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  public var secrets: [Secret]

  public init(secrets: [Secret]) { self.secrets = secrets }

  public static func isVault(_ text: String) -> Bool {
    text.drop { $0.isWhitespace }.hasPrefix("$ANSIBLE_VAULT;")
  }

  /// The plaintext of one vault text (a whole file, or an inline `!vault` value).
  public func decrypt(_ text: String) throws(Failure) -> Data {
    let lines = text.split(whereSeparator: \.isNewline).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
    guard let header = lines.first else { throw Failure(description: "an empty vault") }
    let fields = header.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
    guard fields.count >= 3, fields[0] == "$ANSIBLE_VAULT" else {
      throw Failure(description: "not an ansible-vault text (its header is '\(header)')")
    }
    guard fields[1] == "1.1" || fields[1] == "1.2" else {
      throw Failure(description: "vault format \(fields[1]) is not supported (1.1 and 1.2 are)")
    }
    guard fields[2] == "AES256" else {
      throw Failure(description: "vault cipher \(fields[2]) is not supported (AES256 is)")
    }
    let vaultID = fields.count > 3 ? fields[3] : nil
    guard let outer = Self.unhex(lines.dropFirst().joined()) else {
      throw Failure(description: "the vault's body is not hexadecimal")
    }
    let parts = outer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard parts.count == 3, let salt = Self.unhex(parts[0]), let mac = Self.unhex(parts[1]),
      let ciphertext = Self.unhex(parts[2])
    else { throw Failure(description: "the vault's body is not salt, HMAC and ciphertext") }
    if secrets.isEmpty {
      throw Failure(
        description: "no vault password was given (--vault-password-file, --ask-vault-pass "
          + "or --vault-id)")
    }
    // the secret of the vault's own id first, then every other (as ansible-vault does)
    let ordered = secrets.filter { $0.label == vaultID } + secrets.filter { $0.label != vaultID }
    for secret in ordered {
      let keys = try Self.derive(secret.password, salt: salt)
      guard try Self.hmac(key: Array(keys[32..<64]), ciphertext).elementsEqualInConstantTime(mac)
      else { continue }
      let padded = try Self.aesCTR(key: Array(keys[0..<32]), iv: Array(keys[64..<80]), ciphertext)
      guard let count = padded.last, count > 0, count <= 16, Int(count) <= padded.count,
        padded.suffix(Int(count)).allSatisfy({ $0 == count })
      else { throw Failure(description: "the decrypted vault has no valid padding") }
      return Data(padded.dropLast(Int(count)))
    }
    let which = vaultID.map { " (vault id '\($0)')" } ?? ""
    throw Failure(
      description: "the vault password is wrong\(which): no password given decrypts it")
  }

  private static func unhex<Bytes: Collection>(_ text: Bytes) -> [UInt8]?
  where Bytes.Element == UInt8 {
    guard text.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.count / 2)
    var high: UInt8?
    for character in text {
      let value: UInt8
      switch character {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
      default: return nil
      }
      if let first = high {
        bytes.append(first << 4 | value)
        high = nil
      } else {
        high = value
      }
    }
    return bytes
  }

  private static func unhex(_ text: String) -> [UInt8]? { unhex(Array(text.utf8)) }

  private static func derive(_ password: [UInt8], salt: [UInt8]) throws(Failure) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 80)
    let status = password.withUnsafeBufferPointer { pass in
      pass.withMemoryRebound(to: CChar.self) { passChars in
        PKCS5_PBKDF2_HMAC(
          passChars.baseAddress, Int32(pass.count), salt, Int32(salt.count), 10_000,
          EVP_sha256(), 80, &out)
      }
    }
    guard status == 1 else { throw Failure(description: "PBKDF2 failed in libcrypto") }
    return out
  }

  private static func hmac(key: [UInt8], _ data: [UInt8]) throws(Failure) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    guard HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &length) != nil,
      length == 32
    else { throw Failure(description: "HMAC-SHA256 failed in libcrypto") }
    return out
  }

  private static func aesCTR(key: [UInt8], iv: [UInt8], _ data: [UInt8]) throws(Failure)
    -> [UInt8]
  {
    guard let context = EVP_CIPHER_CTX_new() else {
      throw Failure(description: "libcrypto could not make a cipher context")
    }
    defer { EVP_CIPHER_CTX_free(context) }
    var out = [UInt8](repeating: 0, count: data.count + 16)
    var written: Int32 = 0
    var final: Int32 = 0
    guard EVP_DecryptInit_ex(context, EVP_aes_256_ctr(), nil, key, iv) == 1,
      EVP_DecryptUpdate(context, &out, &written, data, Int32(data.count)) == 1,
      out.withUnsafeMutableBufferPointer({ buffer in
        guard let start = buffer.baseAddress else { return 0 }
        return EVP_DecryptFinal_ex(context, start + Int(written), &final)
      }) == 1
    else { throw Failure(description: "AES-256-CTR failed in libcrypto") }
    return Array(out.prefix(Int(written + final)))
  }
}

extension Array where Element == UInt8 {
  /// Equal without leaking where they differ (OpenSSL's CRYPTO_memcmp).
  fileprivate func elementsEqualInConstantTime(_ other: [UInt8]) -> Bool {
    count == other.count && CRYPTO_memcmp(self, other, count) == 0
  }
}
