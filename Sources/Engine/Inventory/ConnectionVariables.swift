/// Ansible's connection variables, set anywhere a host's variables come from (an INI line,
/// `[all:vars]`, `group_vars/`, `host_vars/`, a JSON inventory's `vars`), turned into the
/// host's `ConnectionSettings` once its variables are merged. They stay variables too, as in
/// Ansible (`{{ ansible_host }}` works). One runner cannot honour is an error naming where it
/// was set, never silently ignored.
enum ConnectionVariables {
  /// Variables that change how Ansible connects and that runner has no setting for.
  static let unsupported: [String: String] = [
    "ansible_password": "runner logs in with keys only (ansible_ssh_private_key_file, an agent)",
    "ansible_ssh_pass": "runner logs in with keys only (ansible_ssh_private_key_file, an agent)",
    "ansible_ssh_password":
      "runner logs in with keys only (ansible_ssh_private_key_file, an agent)",
    "ansible_become_password": "runner's become is `sudo -n`: give the user passwordless sudo",
    "ansible_become_pass": "runner's become is `sudo -n`: give the user passwordless sudo",
    "ansible_sudo_pass": "runner's become is `sudo -n`: give the user passwordless sudo",
    "ansible_become_exe": "runner's become runs the host's sudo",
    "ansible_become_flags": "runner's become is `sudo -n`",
    "ansible_ssh_executable": "runner runs the ssh on PATH",
    "ansible_shell_type": "runner's commands run in the host's POSIX sh",
    "ansible_shell_executable": "runner's commands run in the host's POSIX sh",
    "ansible_sftp_extra_args": "runner copies files over its ssh session, not sftp",
    "ansible_scp_extra_args": "runner copies files over its ssh session, not scp",
    "ansible_ssh_transfer_method": "runner copies files over its ssh session",
  ]

  /// `settings` with the connection variables of `vars` applied; problems located at
  /// `sources` (where each variable's winning value was set).
  static func apply(
    _ vars: [String: JSONValue], to settings: inout ConnectionSettings,
    host: String, sources: [String: SourceLocation]
  ) -> [Diagnostic] {
    var problems: [Diagnostic] = []
    func problem(_ name: String, _ message: String) {
      problems.append(Diagnostic(at: sources[name], "host '\(host)': \(name): \(message)"))
    }
    for name in vars.keys.sorted() where name.hasPrefix("ansible_") {
      guard let value = vars[name] else { continue }
      if let why = unsupported[name] {
        problem(name, "not supported by runner: \(why)")
        continue
      }
      switch name {
      case "ansible_host", "ansible_ssh_host":
        if let text = text(value) {
          settings.address = text
        } else {
          problem(name, "expected a string")
        }
      case "ansible_port", "ansible_ssh_port":
        if let port = integer(value), (1...65535).contains(port) {
          settings.port = port
        } else {
          problem(name, "expected a port number from 1 to 65535, found \(value.compactJSON)")
        }
      case "ansible_user", "ansible_ssh_user":
        if let text = text(value) {
          settings.user = text
        } else {
          problem(name, "expected a string")
        }
      case "ansible_ssh_private_key_file", "ansible_private_key_file":
        if let text = text(value) {
          settings.identityFile = text
        } else {
          problem(name, "expected a path")
        }
      case "ansible_connection":
        switch text(value) {
        case "ssh", "smart": settings.kind = .ssh
        case "local": settings.kind = .local
        default:
          problem(name, "runner connects with \"ssh\" or \"local\", found \(value.compactJSON)")
        }
      case "ansible_become":
        if let flag = boolean(value) {
          settings.become = flag
        } else {
          problem(name, "expected a boolean")
        }
      case "ansible_become_user":
        if let text = text(value) {
          settings.becomeUser = text
        } else {
          problem(name, "expected a string")
        }
      case "ansible_become_method":
        if text(value) != "sudo" {
          problem(name, "runner becomes another user with sudo only, found \(value.compactJSON)")
        }
      case "ansible_host_key_checking", "ansible_ssh_host_key_checking":
        if let flag = boolean(value) {
          settings.hostKeyChecking = flag
        } else {
          problem(name, "expected a boolean")
        }
      case "ansible_ssh_common_args", "ansible_ssh_extra_args":
        switch sshOptions(value) {
        case .success(let options): settings.sshOptions += options
        case .failure(let error): problem(name, error.message)
        }
      case "ansible_timeout", "ansible_ssh_timeout":
        if let seconds = integer(value), seconds > 0 {
          settings.sshOptions.append("ConnectTimeout=\(seconds)")
        } else {
          problem(name, "expected a number of seconds")
        }
      default:
        continue  // not a connection variable runner knows: an ordinary variable
      }
    }
    return problems
  }

  private static func text(_ value: JSONValue) -> String? {
    switch value {
    case .string(let text): text
    case .int(let number): String(number)
    default: nil
    }
  }

  private static func integer(_ value: JSONValue) -> Int? {
    switch value {
    case .int(let number): number
    case .string(let text): Int(text)
    default: nil
    }
  }

  /// Ansible's `boolean`: yes/no, true/false, on/off, 1/0, any case.
  static func boolean(_ value: JSONValue) -> Bool? {
    switch value {
    case .bool(let flag): return flag
    case .int(let number) where number == 0 || number == 1: return number == 1
    case .string(let text):
      switch text.lowercased() {
      case "yes", "true", "on", "1", "y", "t": return true
      case "no", "false", "off", "0", "n", "f": return false
      default: return nil
      }
    default: return nil
    }
  }

  struct OptionsProblem: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// `-o Name=value` and `-oName=value` words as runner's `ssh_options`; any other ssh flag
  /// is refused (runner sets the others itself).
  static func sshOptions(_ value: JSONValue) -> Result<[String], OptionsProblem> {
    guard case .string(let line) = value else {
      return .failure(OptionsProblem(message: "expected a string of ssh arguments"))
    }
    let words: [String]
    do {
      words = try ShellWords.split(line)
    } catch {
      return .failure(OptionsProblem(message: error.description))
    }
    var options: [String] = []
    var index = 0
    while index < words.count {
      let word = words[index]
      if word == "-o", index + 1 < words.count {
        options.append(words[index + 1])
        index += 2
      } else if word.hasPrefix("-o"), word.count > 2 {
        options.append(String(word.dropFirst(2)))
        index += 1
      } else {
        return .failure(
          OptionsProblem(
            message: "runner passes only '-o Name=value' options to ssh, found '\(word)'"))
      }
    }
    return .success(options)
  }
}
