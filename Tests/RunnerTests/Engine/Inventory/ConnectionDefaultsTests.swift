import Engine
import Foundation
import Testing

@testable import Connections

/// `-u`, `--private-key`, `-c`, `-T`, `--ssh-common-args`, `-b`, `--become-user` give every
/// host a default; the inventory's own settings and `ansible_*` variables beat them, as
/// variables beat the command line in Ansible.
@Suite struct ConnectionDefaultsTests {
  static let inventory = """
    plain
    own ansible_user=deploy ansible_ssh_private_key_file=/keys/own ansible_connection=ssh
    becomes ansible_become=false ansible_ssh_common_args='-o ConnectTimeout=30'
    localhost
    """

  static func defaults() throws -> ConnectionDefaults {
    var defaults = ConnectionDefaults()
    defaults.user = "admin"
    defaults.options["identity_file"] = SourcedValue(.string("/keys/cli"), at: nil)
    defaults.transport = "local"
    defaults.become = true
    defaults.becomeUser = "postgres"
    let options = try SSHArguments.options(fromArguments: "-o ConnectTimeout=5 -oBatchMode=yes")
    defaults.options["ssh_options"] = SourcedValue(.array(options.map(JSONValue.string)), at: nil)
    return defaults
  }

  /// The host's settings: the engine's, and what the ssh transport reads of its options.
  func host(_ name: String) throws -> (ConnectionSettings, ssh: SSHSettings) {
    let inventory = try InventoryLoader.load(
      Data(Self.inventory.utf8), file: "hosts", defaults: try Self.defaults())
    let host = try #require(inventory.host(named: name))
    let read = SSHSettings.read(host)
    #expect(read.problems.isEmpty)
    return (host.connection, read.settings)
  }

  @Test func `a host without its own settings takes the command line's`() throws {
    let (plain, plainSSH) = try host("plain")
    #expect(plain.user == "admin" && plainSSH.identityFile == "/keys/cli")
    #expect(plain.transport == "local" && plain.become && plain.becomeUser == "postgres")
    #expect(plainSSH.sshOptions == ["ConnectTimeout=5", "BatchMode=yes"])
  }

  @Test func `the inventory's variables beat the command line`() throws {
    let (own, ownSSH) = try host("own")
    #expect(own.user == "deploy" && ownSSH.identityFile == "/keys/own" && own.transport == "ssh")
    let (becomes, becomesSSH) = try host("becomes")
    #expect(!becomes.become)
    // ssh keeps an option's first value: the host's own come before the defaults
    #expect(becomesSSH.sshOptions == ["ConnectTimeout=30", "ConnectTimeout=5", "BatchMode=yes"])
  }

  @Test func `ssh arguments other than -o options are refused`() {
    #expect(throws: (any Error).self) {
      try SSHArguments.options(fromArguments: "-F /tmp/config")
    }
  }
}
