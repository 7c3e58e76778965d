import Engine
import Foundation
import Testing

extension BootedHostSuites {
  /// The role's own secrets on a booted host, where the whole dci_api role runs: its
  /// environment file (mode 0600, its secrets masked by name in diffs) is written, diffed in
  /// check mode and rewritten,
  /// in the modes that print the most, and no secret value reaches the output
  /// (`DeploymentFixture.deploy` checks every value of its secrets file on every run). One host,
  /// so the tests run in order.
  @Suite(.serialized)
  struct SecretLeakBootedTests {
    static let host = "bt1"
    static let fixture = Result { try DeploymentFixture(hosts: [host]) }
    static let environmentFile = "/etc/dci-api/dci-api.env"
    /// A new database password: the one value that changes the environment file.
    static let changed = #"{"vault_db_password": "db-Changed-Secr3t-value"}"#
    static let changedValue = "db-Changed-Secr3t-value"

    var fixture: DeploymentFixture {
      get throws { try Self.fixture.get() }
    }

    @Test func `1 a first deploy at -vvv shows no secret`() throws {
      let result = try fixture.deploy(["-vvv"])
      #expect(result.status == 0, "\(result.all)")
      #expect(result.stdout.contains("PLAY RECAP"))
    }

    @Test func `2 check mode with a diff masks the changed secret, old and new`() throws {
      let fixture = try fixture
      let before = try fixture.fingerprint(Self.host, [Self.environmentFile])
      let masked = SecretMasker.placeholder
      for output in [["-vvv"], ["-o", "json"]] {
        // `deploy` checks that no value of the secrets file (the old password) is shown.
        let result = try fixture.deploy(["--check", "--diff", "-e", Self.changed] + output)
        #expect(result.status == 0, "\(result.all)")
        #expect(!result.all.contains(Self.changedValue))
        #expect(result.stdout.contains("Render the environment file"))
        // The file's diff is shown, its one changed line masked on both sides.
        if output == ["-vvv"] {
          #expect(
            result.stdout.contains("\n-DB_PASSWORD=\(masked)\n+DB_PASSWORD=\(masked) (changed)\n"))
          #expect(result.stdout.contains("\n DB_USER=dci\n"))
        } else {
          #expect(result.stdout.contains("DB_PASSWORD=\(masked) (changed)\\n"))
        }
      }
      #expect(try fixture.fingerprint(Self.host, [Self.environmentFile]) == before)
    }

    @Test func `3 applying the change at -vvv shows no secret and keeps the file owner-only`()
      throws
    {
      let fixture = try fixture
      // The API's restart only succeeds once it can log in with the new password.
      try fixture.setDatabasePassword(Self.changedValue)
      let result = try fixture.deploy(["-vvv", "-e", Self.changed])
      #expect(result.status == 0, "\(result.all)")
      #expect(!result.all.contains(Self.changedValue))
      let environment = try fixture.exec(Self.host, ["cat", Self.environmentFile])
      #expect(environment.contains("DB_PASSWORD=\(Self.changedValue)\n"))
      let mode = try fixture.exec(Self.host, ["stat", "-c", "%a %U", Self.environmentFile])
      #expect(mode == "600 root\n")
    }
  }
}
