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

    @Test func `2 check mode with a diff predicts the changed secret and shows none`() throws {
      let fixture = try fixture
      let before = try fixture.fingerprint(Self.host, [Self.environmentFile])
      let secret = try podmanSecret("dci-api-db-password")
      for output in [["-vvv"], ["-o", "json"]] {
        // `deploy` checks that no value of the secrets file (the old password) is shown.
        let result = try fixture.deploy(["--check", "--diff", "-e", Self.changed] + output)
        #expect(result.status == 0, "\(result.all)")
        #expect(!result.all.contains(Self.changedValue))
        if output == ["-vvv"] {
          // The password is a Podman secret now: its step says changed, the env file not.
          let step = result.stdout.components(separatedBy: "TASK [dci_api : Store DB_PASSWORD")
          #expect(
            step.count == 2 && step[1].contains("changed: [\(Self.host)]"), "\(result.stdout)")
          let file = result.stdout.components(separatedBy: "TASK [dci_api : Render the environment")
          #expect(file.count == 2 && file[1].contains("ok: [\(Self.host)]"), "\(result.stdout)")
        }
      }
      #expect(try fixture.fingerprint(Self.host, [Self.environmentFile]) == before)
      #expect(try podmanSecret("dci-api-db-password") == secret)
    }

    /// The value of a Podman secret on the host.
    func podmanSecret(_ name: String) throws -> String {
      try fixture.exec(
        Self.host,
        ["podman", "secret", "inspect", "--showsecret", "--format", "{{.SecretData}}", name])
    }

    @Test func `3 applying the change at -vvv shows no secret; the password is a Podman secret`()
      throws
    {
      let fixture = try fixture
      // The API's restart only succeeds once it can log in with the new password.
      try fixture.setDatabasePassword(Self.changedValue)
      let result = try fixture.deploy(["-vvv", "-e", Self.changed])
      #expect(result.status == 0, "\(result.all)")
      #expect(!result.all.contains(Self.changedValue))
      #expect(try podmanSecret("dci-api-db-password") == Self.changedValue + "\n")
      let environment = try fixture.exec(Self.host, ["cat", Self.environmentFile])
      #expect(!environment.contains("DB_PASSWORD"))
      let mode = try fixture.exec(Self.host, ["stat", "-c", "%a %U", Self.environmentFile])
      #expect(mode == "600 root\n")
    }

    /// Lines the role never wrote may hold secrets (issue 12): an operator's own name, a
    /// commented-out old value, an indented or `export`ed line. The diff masks all of them.
    @Test func `4 lines an operator added to the file are masked in every diff`() throws {
      let fixture = try fixture
      let added = [
        "LEGACY_API_TOKEN=tok-Added-Secr3t", "#DB_PASSWORD=old-Added-Secr3t",
        "  INDENTED=ind-Added-Secr3t", "export EXPORTED=exp-Added-Secr3t",
      ]
      _ = try fixture.exec(
        Self.host,
        ["sh", "-c", "printf '%s\\n' \"$@\" >> \(Self.environmentFile)", "sh"] + added)
      let masked = SecretMasker.placeholder
      for arguments in [["--check", "--diff"], ["--check", "--diff", "-o", "json"], ["--diff"]] {
        let result = try fixture.deploy(arguments + ["-e", Self.changed])
        #expect(result.status == 0, "\(result.all)")
        #expect(!result.all.contains("Added-Secr3t"), "\(result.all)")
        if arguments == ["--check", "--diff"] {
          #expect(result.stdout.contains("\n-LEGACY_API_TOKEN=\(masked)\n"))
          #expect(result.stdout.contains("\n-#DB_PASSWORD=\(masked)\n"))
          #expect(result.stdout.contains("\n-export EXPORTED=\(masked)\n"))
          #expect(result.stdout.contains("\n REDIS_URL=redis://"))  // public context, shown
        }
      }
      let environment = try fixture.exec(Self.host, ["cat", Self.environmentFile])
      #expect(!environment.contains("Added-Secr3t"))
    }

    /// Podman keeps a container's environment in its database, readable by every local user
    /// on a stock host (issue 12): no secret may reach it, so none travels in the env file.
    @Test func `5 no file another local user can read holds a secret`() throws {
      let fixture = try fixture
      let values =
        DeploymentFixture.secretValues.values.filter { $0.count >= 8 && !$0.contains("\n") } + [
          Self.changedValue
        ]
      #expect(!values.isEmpty)
      for value in values {
        let found = try fixture.exec(
          Self.host,
          [
            "sh", "-c",
            "setpriv --reuid=65534 --regid=65534 --clear-groups grep -rlaF -e \"$1\" /var/lib/containers /etc /run /tmp /var/tmp 2>/dev/null; true",
            "sh", value,
          ])
        #expect(found.isEmpty, "a secret is readable by nobody in: \(found)")
      }
      let environment = try fixture.exec(Self.host, ["cat", Self.environmentFile])
      #expect(!environment.contains("DB_PASSWORD"))
    }
  }
}
