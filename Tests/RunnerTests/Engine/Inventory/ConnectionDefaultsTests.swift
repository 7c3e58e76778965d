import Engine
import Foundation
import Testing

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
    defaults.identityFile = "/keys/cli"
    defaults.kind = .local
    defaults.become = true
    defaults.becomeUser = "postgres"
    defaults.sshOptions = try ConnectionDefaults.sshOptions(
      fromArguments: "-o ConnectTimeout=5 -oBatchMode=yes")
    return defaults
  }

  func host(_ name: String) throws -> ConnectionSettings {
    let inventory = try InventoryLoader.load(
      Data(Self.inventory.utf8), file: "hosts", defaults: try Self.defaults())
    return try #require(inventory.host(named: name)).connection
  }

  @Test func `a host without its own settings takes the command line's`() throws {
    let plain = try host("plain")
    #expect(plain.user == "admin" && plain.identityFile == "/keys/cli")
    #expect(plain.kind == .local && plain.become && plain.becomeUser == "postgres")
    #expect(plain.sshOptions == ["ConnectTimeout=5", "BatchMode=yes"])
  }

  @Test func `the inventory's variables beat the command line`() throws {
    let own = try host("own")
    #expect(own.user == "deploy" && own.identityFile == "/keys/own" && own.kind == .ssh)
    let becomes = try host("becomes")
    #expect(!becomes.become)
    // ssh keeps an option's first value: the host's own come before the defaults
    #expect(becomes.sshOptions == ["ConnectTimeout=30", "ConnectTimeout=5", "BatchMode=yes"])
  }

  @Test func `ssh arguments other than -o options are refused`() {
    #expect(throws: (any Error).self) {
      try ConnectionDefaults.sshOptions(fromArguments: "-F /tmp/config")
    }
  }
}
