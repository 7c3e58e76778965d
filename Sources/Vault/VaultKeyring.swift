public import Engine
import Foundation
import Synchronization

/// The run's vault passwords and every value they opened: the `VaultDecryptor` the engine
/// reads vars files with. Passwords come from `--vault-password-file FILE` (its first line;
/// an executable file is run and its output taken, as Ansible does), `--vault-id
/// label@FILE` / `label@prompt`, and `--ask-vault-pass` (read from the terminal, not echoed).
public final class VaultKeyring: VaultDecryptor {
  private let vault: AnsibleVault
  private let kept = Mutex<[String]>([])

  public init(secrets: [AnsibleVault.Secret]) {
    vault = AnsibleVault(secrets: secrets)
  }

  public func decrypt(_ vaultText: String, at location: SourceLocation) throws -> String {
    let plaintext: Data
    do {
      plaintext = try vault.decrypt(vaultText)
    } catch {
      throw DefinitionErrors([Diagnostic(at: location, "cannot decrypt: \(error.description)")])
    }
    guard let text = String(data: plaintext, encoding: .utf8) else {
      throw DefinitionErrors([
        Diagnostic(at: location, "the decrypted vault is not UTF-8 text")
      ])
    }
    return text
  }

  public func keepSecret(_ values: [String]) {
    kept.withLock { $0 += values }
  }

  public var secretValues: [String] { kept.withLock { $0 } }

  /// Where a password comes from.
  public enum PasswordSource: Sendable, Hashable {
    case file(String)
    case prompt
  }

  /// The secrets of `--vault-id` values (`label@source`, or `source` alone for the default
  /// id), `--vault-password-file`s and `--ask-vault-pass`; problems name the option.
  public static func secrets(
    ids: [String], passwordFiles: [String], askPassword: Bool,
    prompt: (String) throws -> String = TerminalPrompt.read
  ) throws -> [AnsibleVault.Secret] {
    var sources: [(label: String, source: PasswordSource)] = []
    for id in ids {
      let parts = id.split(separator: "@", maxSplits: 1).map(String.init)
      let (label, source) = parts.count == 2 ? (parts[0], parts[1]) : ("default", id)
      sources.append((label, source == "prompt" ? .prompt : .file(source)))
    }
    sources += passwordFiles.map { ("default", .file($0)) }
    if askPassword { sources.append(("default", .prompt)) }
    var secrets: [AnsibleVault.Secret] = []
    var problems: [Diagnostic] = []
    for (label, source) in sources {
      do {
        let password: String
        switch source {
        case .file(let path): password = try passwordFromFile(path)
        case .prompt:
          password = try prompt(
            label == "default" ? "Vault password: " : "Vault password (\(label)): ")
        }
        guard !password.isEmpty else {
          problems.append(Diagnostic(at: nil, "the vault password for '\(label)' is empty"))
          continue
        }
        secrets.append(AnsibleVault.Secret(label: label, password: Array(password.utf8)))
      } catch let error as DefinitionErrors {
        problems += error.problems
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    return secrets
  }

  /// A password file's first line, trailing whitespace removed (as Ansible strips it); an
  /// executable file is run and its standard output is the password.
  static func passwordFromFile(_ path: String) throws -> String {
    let location = SourceLocation(file: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    else {
      throw DefinitionErrors([Diagnostic(at: location, "the vault password file does not exist")])
    }
    var text: String
    if FileManager.default.isExecutableFile(atPath: path) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: path)
      let output = Pipe()
      process.standardOutput = output
      do {
        try process.run()
      } catch {
        throw DefinitionErrors([
          Diagnostic(at: location, "the vault password script could not run: \(error)")
        ])
      }
      let data = output.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else {
        throw DefinitionErrors([
          Diagnostic(
            at: location, "the vault password script exited with \(process.terminationStatus)")
        ])
      }
      text = String(decoding: data, as: UTF8.self)
    } else {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw DefinitionErrors([Diagnostic(at: location, "the vault password file cannot be read")])
      }
      text = String(decoding: data, as: UTF8.self)
    }
    text = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return text
  }
}
