import Foundation
import Testing
import Vault

@testable import Connections
@testable import Engine

/// An operator's Ansible project tree (Fixtures/ansible/project: an INI inventory, group_vars
/// in JSON and YAML, as files and as a directory, host_vars, a vault file made by the real
/// ansible-vault) read by runner, against what the real `ansible-inventory` (ansible-core
/// 2.19.14) printed for the same tree (ansible-inventory.json beside it; re-record in that
/// folder with `ansible-inventory -i hosts --list --vault-password-file vault-password >
/// ansible-inventory.json`).
@Suite struct AnsibleProjectInventoryTests {
  let project: URL
  let recorded: [String: JSONValue]
  let inventory: Inventory
  let keyring: VaultKeyring

  init() throws {
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    project = fixtures.appending(path: "ansible/project")
    let json = try JSONValue.parse(
      Data(contentsOf: project.appending(path: "ansible-inventory.json")))
    recorded = try #require(json.objectValue)
    let hosts = project.appending(path: "hosts")
    keyring = VaultKeyring(
      secrets: try VaultKeyring.secrets(
        ids: [], passwordFiles: [project.appending(path: "vault-password").path],
        askPassword: false))
    inventory = try InventoryLoader.load(
      Data(contentsOf: hosts), file: hosts.path,
      vars: VarsDirectories([project.path], vault: keyring))
  }

  @Test func `every host has the variables ansible-inventory resolved for it`() throws {
    let hostvars = try #require(recorded["_meta"]?.objectValue?["hostvars"]?.objectValue)
    #expect(Set(hostvars.keys) == Set(inventory.hosts.map(\.name)))
    for host in inventory.hosts {
      let resolved = host.groupVariables.merging(host.hostVariables) { _, new in new }
      #expect(JSONValue.object(resolved) == hostvars[host.name], "host \(host.name)")
    }
    #expect(keyring.secretValues == ["Secr3tWord"])  // from group_vars/web/vault.yml
  }

  @Test func `every group has the hosts ansible-inventory put in it`() throws {
    func members(_ group: String) -> Set<String> {
      let entry = recorded[group]?.objectValue
      var names = Set(entry?["hosts"]?.arrayValue?.compactMap(\.stringValue) ?? [])
      for child in entry?["children"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
        names.formUnion(members(child))
      }
      return names
    }
    for group in recorded.keys where group != "_meta" && group != "all" {
      #expect(Set(inventory.groups[group] ?? []) == members(group), "group \(group)")
    }
  }

  @Test func `connection variables become the host's settings wherever they were set`() throws {
    func host(_ name: String) throws -> InventoryHost {
      try #require(inventory.hosts.first { $0.name == name })
    }
    #expect(try host("web01").connection.address == "web01")
    #expect(try host("web01").ssh.port == 2222)
    #expect(try host("web04").connection.address == "10.0.0.14")
    #expect(try host("web04").ssh.port == 2200)  // web04:2200
    #expect(try host("gateway").connection.user == "root")
    #expect(try host("web02").connection.user == "deploy")  // host_vars/web02.json
    #expect(try host("db1").connection.become)  // ansible_become=true: read as a boolean
    #expect(try host("db1").connection.becomeUser == "postgres")
    #expect(try host("web03").ssh.identityFile == "/keys/ops")  // [all:vars]
    #expect(try host("web03").ssh.sshOptions == ["ConnectTimeout=5", "ServerAliveInterval=30"])
    #expect(try host("web03").connection.transport == "ssh")
  }
}

@Suite struct INIInventoryTests {
  func load(_ text: String, vars: VarsDirectories = .none) throws -> Inventory {
    try InventoryLoader.load(Data(text.utf8), file: "hosts", vars: vars)
  }

  func problems(_ text: String, vars: VarsDirectories = .none) -> [String] {
    do {
      _ = try load(text, vars: vars)
      return []
    } catch let error as DefinitionErrors {
      return error.problems.map(\.description)
    } catch {
      return ["\(error)"]
    }
  }

  @Test func `values are Python literals as ansible-core's ini plugin reads them`() {
    let cases: [(String, JSONValue)] = [
      ("3", .int(3)), ("-3", .int(-3)), ("0x1f", .int(31)), ("0.5", .double(0.5)),
      ("1e3", .double(1000)), ("True", .bool(true)), ("False", .bool(false)), ("None", .null),
      ("true", .string("true")), ("yes", .string("yes")), ("0755", .string("0755")),
      ("'quoted'", .string("quoted")), ("[80, 443]", .array([.int(80), .int(443)])),
      ("(1, 'a')", .array([.int(1), .string("a")])),
      ("{'a': 1, 2: [True]}", .object(["a": .int(1), "2": .array([.bool(true)])])),
      ("a b", .string("a b")), ("[1, 2", .string("[1, 2")), ("", .string("")),
    ]
    for (text, value) in cases {
      #expect(PythonLiteral.value(of: text) == value, "\(text)")
    }
  }

  @Test func `host ranges expand as Ansible expands them`() throws {
    #expect(try HostRange.expand("web[01:03]") == ["web01", "web02", "web03"])
    #expect(try HostRange.expand("n[8:10]") == ["n8", "n9", "n10"])
    #expect(try HostRange.expand("x[a:c]") == ["xa", "xb", "xc"])
    #expect(try HostRange.expand("h[1:5:2].lan") == ["h1.lan", "h3.lan", "h5.lan"])
    #expect(try HostRange.expand("r[1:2]-[a:b]") == ["r1-a", "r1-b", "r2-a", "r2-b"])
    #expect(throws: HostRange.Problem.self) { try HostRange.expand("web[3:1]") }
    #expect(throws: HostRange.Problem.self) { try HostRange.expand("web[1:") }
  }

  @Test func `every problem is reported with its line`() {
    let found = problems(
      """
      [web
      web1 tier
      [db:stuff]
      [orphan:vars]
      x=1
      [web2]
      w[5:1]
      """)
    #expect(found.count == 5, "\(found)")
    #expect(found.contains { $0.hasPrefix("hosts:1:") && $0.contains("invalid section header") })
    #expect(found.contains { $0.hasPrefix("hosts:2:") && $0.contains("key=value") })
    #expect(found.contains { $0.hasPrefix("hosts:3:") && $0.contains(":stuff") })
    #expect(found.contains { $0.hasPrefix("hosts:4:") && $0.contains("group 'orphan'") })
    #expect(found.contains { $0.hasPrefix("hosts:7:") && $0.contains("start is after the end") })
  }

  @Test func `a connection variable runner cannot honour is an error where it was set`() throws {
    let directory = FileManager.default.temporaryDirectory.appending(path: "ini-\(UUID())")
    try FileManager.default.createDirectory(
      at: directory.appending(path: "group_vars"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appending(path: "group_vars/web.json")
    try Data(#"{"ansible_password": "x", "ansible_connection": "winrm"}"#.utf8).write(to: file)
    let found = problems(
      "[web]\nw1 ansible_port=99999\n", vars: VarsDirectories([directory.path]))
    #expect(found.count == 3, "\(found)")
    #expect(
      found.contains { $0.contains(file.path) && $0.contains("ansible_password: not supported") })
    #expect(found.contains { $0.contains(file.path) && $0.contains("\"winrm\"") })
    #expect(
      found.contains { $0.hasPrefix("hosts") && $0.contains("ansible_port: expected a port") })
    #expect(!found.joined().contains("\"x\""))  // a password's value is never quoted back
  }

  @Test func `a vars file that is not a mapping names its file`() throws {
    let directory = FileManager.default.temporaryDirectory.appending(path: "ini-\(UUID())")
    try FileManager.default.createDirectory(
      at: directory.appending(path: "host_vars"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appending(path: "host_vars/w1.json")
    try Data("[1, 2]".utf8).write(to: file)
    let found = problems("w1\n", vars: VarsDirectories([directory.path]))
    #expect(found.count == 1 && found[0].hasPrefix(file.path) && found[0].contains("mapping"))
  }

  @Test func `hosts before any section are ungrouped, and all's sections apply to every host`()
    throws
  {
    let inventory = try load("a x=1\n[all:vars]\ny=2\n[g]\nb\n[all:children]\ng\n")
    #expect(inventory.groups["ungrouped"] == ["a"])
    #expect(inventory.groups["g"] == ["b"])
    for host in inventory.hosts { #expect(host.groupVariables["y"] == .int(2)) }
    #expect(inventory.hosts.first { $0.name == "a" }?.hostVariables["x"] == .int(1))
  }

  @Test func `the settings file's host defaults yield to the inventory and its variables`() throws {
    var defaults = ConnectionDefaults()
    let settingsFile = SourceLocation(file: "runner.json")
    defaults.options["host_key_checking"] = SourcedValue(.bool(false), at: settingsFile)
    defaults.become = true
    defaults.options["control_persist"] = SourcedValue(.int(0), at: settingsFile)
    defaults.options["ssh_options"] = SourcedValue(.array(["ConnectTimeout=3"]), at: settingsFile)
    let inventory = try InventoryLoader.load(
      Data("a\nb ansible_become=no ansible_ssh_common_args='-o ConnectTimeout=9'\n".utf8),
      file: "hosts", defaults: defaults)
    let a = try #require(inventory.hosts.first { $0.name == "a" })
    let b = try #require(inventory.hosts.first { $0.name == "b" })
    #expect(!a.ssh.hostKeyChecking && a.connection.become && a.ssh.controlPersist == 0)
    #expect(a.ssh.sshOptions == ["ConnectTimeout=3"])
    #expect(!b.connection.become)
    #expect(b.ssh.sshOptions == ["ConnectTimeout=9", "ConnectTimeout=3"])  // ssh keeps the first
    let json = try InventoryLoader.load(
      Data(#"{"hosts": {"c": {"become": false, "control_persist": 30}}}"#.utf8),
      file: "inventory.json", defaults: defaults)
    #expect(json.hosts[0].connection.become == false)
    #expect(json.hosts[0].ssh.controlPersist == 30)
    #expect(json.hosts[0].ssh.hostKeyChecking == false)
  }
}
