/// Ansible's connection variables, set anywhere a host's variables come from (an INI line,
/// `[all:vars]`, `group_vars/`, `host_vars/`, a JSON inventory's `vars`), applied to the
/// host's `ConnectionSettings` once its variables are merged. They stay variables too, as in
/// Ansible (`{{ ansible_host }}` works). The engine reads the ones every transport shares
/// (address, user, transport, become); every other `ansible_*` variable goes to the host's
/// transport (`TransportOptions.variables`), which reads its own. One runner cannot honour
/// is an error naming where it was set, never silently ignored.
enum ConnectionVariables {
  /// Variables that change how Ansible connects and that no transport of runner's has.
  static let unsupported: [String: String] = [
    "ansible_password": "runner logs in with keys only (ansible_ssh_private_key_file, an agent)",
    "ansible_become_password": "runner's become is `sudo -n`: give the user passwordless sudo",
    "ansible_become_pass": "runner's become is `sudo -n`: give the user passwordless sudo",
    "ansible_sudo_pass": "runner's become is `sudo -n`: give the user passwordless sudo",
    "ansible_become_exe": "runner's become runs the host's sudo",
    "ansible_become_flags": "runner's become is `sudo -n`",
    "ansible_shell_type": "runner's commands run in the host's POSIX sh",
    "ansible_shell_executable": "runner's commands run in the host's POSIX sh",
  ]

  /// `settings` with the connection variables of `vars` applied; problems located at
  /// `sources` (where each variable's winning value was set).
  static func apply(
    _ vars: [String: JSONValue], to settings: inout ConnectionSettings,
    host: String, sources: [String: SourceLocation], transports: TransportRegistry
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
      case "ansible_user", "ansible_ssh_user":
        if let text = text(value) {
          settings.user = text
        } else {
          problem(name, "expected a string")
        }
      case "ansible_connection":
        if let text = text(value), let transport = transports.transport(named: TransportName(text))
        {
          settings.transport = transport.name
        } else {
          problem(
            name,
            "runner connects with \(transports.namesForMessages), found \(value.compactJSON)")
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
      default:
        // the transport's to read, or an ordinary variable
        settings.options.variables[name] = SourcedValue(value, at: sources[name])
      }
    }
    return problems
  }

  private static func text(_ value: JSONValue) -> String? { TransportOptionReader.text(value) }

  private static func boolean(_ value: JSONValue) -> Bool? {
    TransportOptionReader.boolean(value)
  }
}
