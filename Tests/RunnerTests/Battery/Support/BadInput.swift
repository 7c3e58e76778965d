import Engine
import Testing

/// One case of the bad input battery: the files it writes, the `runner` arguments, and what
/// the refusal must look like — the exit status, how many problems the `ERROR!` header counts
/// (nil for a bad option, which prints usage instead), and text fragments of stderr that name
/// the file and JSON path (or the option) and say what was expected.
struct BadInput: Sendable, CustomTestStringConvertible {
  var name: String
  var files: [String: BatteryFile]
  var arguments: [String]
  var status: Int32 = 1
  var problems: Int? = 1
  var expected: [String]
  /// Text that must not appear in the output (a secret's fragments).
  var absent: [String] = []

  var testDescription: String { name }
}

extension BadInput {
  /// One local host: what the playbooks' tasks would change is this machine's `@OUT@`.
  static let inventory = #"{"hosts": {"h1": {"connection": "local"}}}"#

  /// The first task of every hand-written playbook: a run that starts leaves `@OUT@/ran`.
  static let mark =
    #"{"name": "Mark that a run started", "template": {"content": "ran\n", "dest": "@OUT@/ran"}}"#

  /// A valid playbook that changes the target: proof that the tree would change if any case
  /// ran (see `the base playbook changes the target`).
  static let goodPlaybook = """
    [{"name": "Write the target", "hosts": "h1", "vars": {"greeting": "hello"},
      "tasks": [
        \(mark),
        {"name": "Rewrite the config", "template": {"content": "{{ greeting }}\\n",
         "dest": "@OUT@/existing.conf", "mode": "0600"}, "notify": "Restart"},
        {"name": "Tighten the directory", "file": {"path": "@OUT@/d", "mode": "0700"}}],
      "handlers": [{"name": "Restart", "template": {"content": "restarted\\n",
                    "dest": "@OUT@/restarted"}}]}]
    """

  /// Values the dci_api cases pass with `-e @secrets.json`.
  static let secrets = """
    {"vault_db_password": "db-Battery-Secr3t", "vault_s3_access_key": "AKIA-battery",
     "vault_s3_secret_key": "s3-Battery-Secr3t", "vault_sso_public_key": "MIIBIjANBattery",
     "vault_rhdl_access_key": "rhdl-access-battery", "vault_rhdl_secret_key": "rhdl-Battery-Secr3t"}
    """

  static let standardArguments = ["-i", "@DIR@/inventory.json", "@DIR@/site.json"]

  /// A playbook with a defect, run against the good inventory.
  static func playbook(
    _ name: String, _ text: String, problems: Int = 1, _ expected: String...
  ) -> BadInput {
    BadInput(
      name: name, files: ["site.json": .text(text), "inventory.json": .text(inventory)],
      arguments: standardArguments, problems: problems, expected: expected)
  }

  /// An inventory with a defect, used with the good playbook.
  static func inventory(
    _ name: String, _ text: String, problems: Int = 1, _ expected: String...
  ) -> BadInput {
    BadInput(
      name: name, files: ["site.json": .text(goodPlaybook), "inventory.json": .text(text)],
      arguments: standardArguments, problems: problems, expected: expected)
  }

  /// Bad `-e` values (and the files they name) with the good playbook and inventory.
  static func extraVars(
    _ name: String, _ options: [String], files: [String: BatteryFile] = [:], problems: Int = 1,
    _ expected: String...
  ) -> BadInput {
    BadInput(
      name: name,
      files: files.merging(
        ["site.json": .text(goodPlaybook), "inventory.json": .text(inventory)]
      ) { own, _ in own },
      arguments: options + standardArguments, problems: problems, expected: expected)
  }

  /// A bad command line: exit 5 and the usage.
  static func option(_ name: String, _ arguments: [String], _ expected: String) -> BadInput {
    BadInput(
      name: name, files: ["site.json": .text(goodPlaybook), "inventory.json": .text(inventory)],
      arguments: arguments, status: 5, problems: nil, expected: [expected])
  }

  /// `playbooks/dci_api.json` with a bad variable (in the play, `-e` or the inventory).
  static func dciAPI(
    _ name: String, _ playbook: DCIAPIPlaybook = DCIAPIPlaybook(), extra: [String] = [],
    inventory: String = inventory, problems: Int = 1, absent: [String] = [],
    _ expected: String...
  ) -> BadInput {
    BadInput(
      name: name,
      files: [
        "site.json": .dciAPI(playbook), "inventory.json": .text(inventory),
        "secrets.json": .text(secrets),
      ],
      arguments: ["-i", "@DIR@/inventory.json", "-e", "@@DIR@/secrets.json"] + extra
        + ["@DIR@/site.json"],
      problems: problems, expected: expected, absent: absent)
  }
}
