import Engine
import Testing

@testable import Connections

extension ConnectionSettings {
  /// An ssh host's settings as a JSON inventory's host entry gives them, for tests that make
  /// hosts in code.
  static func ssh(
    address: String? = nil, port: Int? = nil, user: String? = nil,
    identityFile: String? = nil, knownHostsFile: String? = nil, hostKeyChecking: Bool? = nil,
    become: Bool = false, becomeUser: String? = nil, sshOptions: [String] = [],
    controlPersist: Int? = nil
  ) -> ConnectionSettings {
    var entry: [String: JSONValue] = [:]
    entry["port"] = port.map(JSONValue.int)
    entry["identity_file"] = identityFile.map(JSONValue.string)
    entry["known_hosts_file"] = knownHostsFile.map(JSONValue.string)
    entry["host_key_checking"] = hostKeyChecking.map(JSONValue.bool)
    entry["ssh_options"] = sshOptions.isEmpty ? nil : .array(sshOptions.map(JSONValue.string))
    entry["control_persist"] = controlPersist.map(JSONValue.int)
    return ConnectionSettings(
      transport: "ssh", address: address, user: user, become: become, becomeUser: becomeUser,
      options: TransportOptions(
        entry: entry.mapValues {
          SourcedValue($0, at: SourceLocation(file: "test inventory"))
        }))
  }
}

extension InventoryHost {
  /// What the ssh transport reads of this host's settings; a problem with them fails the test.
  var ssh: SSHSettings {
    let read = SSHSettings.read(self)
    #expect(read.problems.isEmpty, "\(read.problems)")
    return read.settings
  }
}
