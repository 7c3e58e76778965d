public import Engine

/// The instance links of a Quadlet template in a directory: `dci-api@3.container` pointing at
/// `dci-api@.container`, read with one `find`. Pure parse, fixture-tested.
public struct QuadletInstanceLinks: Fact {
  public var directory: HostPath
  /// `dci-api@.container`
  public var template: String

  public init(directory: HostPath, template: String) {
    self.directory = directory
    self.template = template
  }

  var prefix: String { String(template.prefix { $0 != "@" }) + "@" }
  var suffix: String { String(template.drop { $0 != "@" }.dropFirst()) }

  public var command: Command {
    Command([
      "find", directory.rawValue, "-mindepth", "1", "-maxdepth", "1", "-name",
      "\(prefix)*\(suffix)",
      "-type", "l", "-printf", "%f\\t%l\\n",
    ])
  }

  /// Instance name → link target; a missing directory is no links.
  public func parse(_ output: CommandOutput) throws -> [String: String] {
    guard output.exitCode == 0 || output.stderr.contains("No such file") else {
      throw CommandFailed(command, output: output)
    }
    var links: [String: String] = [:]
    for line in output.stdout.split(separator: "\n") {
      let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
      guard fields.count == 2, fields[0].hasPrefix(prefix), fields[0].hasSuffix(suffix) else {
        continue
      }
      let instance = fields[0].dropFirst(prefix.count).dropLast(suffix.count)
      if !instance.isEmpty { links[String(instance)] = fields[1] }
    }
    return links
  }
}

/// `podman_quadlet_instances`: numbered instances `0..<count` of a Quadlet template, as
/// symlinks `name@N.<kind>` → `name@.<kind>`. Quadlet then generates each instance with the
/// template's `[Install]` section, so every instance starts at boot (generated units cannot be
/// `systemctl enable`d). Scaling down removes the links numbered `count` and above.
public struct PodmanQuadletInstances: Module, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "podman_quadlet_instances"

  public var template: String
  public var count: Int
  public var directory: HostPath

  public init(template: String, count: Int, directory: HostPath = PodmanQuadlet.systemDirectory) {
    self.template = template
    self.count = count
    self.directory = directory
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case template, count, directory }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    template = args.required(.template) ?? ""
    count = args.required(.count) ?? 0
    directory = args.optional(.directory, default: PodmanQuadlet.systemDirectory)
    args.check(count >= 0, .count, "expected an integer ≥ 0, found \(count)")
    for problem in Self.problems(template: template) { args.record(.template, problem) }
    try args.finish()
  }

  static func problems(template: String) -> [String] {
    let parts = template.split(separator: "@", omittingEmptySubsequences: false)
    let kinds = QuadletKind.allCases.map { "." + $0.rawValue }
    guard parts.count == 2, !parts[0].isEmpty, kinds.contains(String(parts[1])),
      !template.contains("/")
    else {
      return ["expected a Quadlet template file name such as 'web@.container', found '\(template)'"]
    }
    return []
  }

  public func validate() -> [String] { Self.problems(template: template) }

  var links: QuadletInstanceLinks { QuadletInstanceLinks(directory: directory, template: template) }

  /// The file name of instance `index`: `dci-api@3.container`.
  public func instanceFile(_ index: Int) -> String { links.prefix + String(index) + links.suffix }

  public func probes(for host: InventoryHost) -> [Probe] { [.command(links.command)] }

  public func plan(in context: PlanContext) async throws -> Plan {
    let existing = try await context.gather(links)
    var changes: [Change] = []
    for index in 0..<count where existing[String(index)] != template {
      let path = directory.appending(instanceFile(index))
      changes.append(
        Change(
          "link \(path) -> \(template)",
          diff: Diff(
            before: existing[String(index)].map { "-> \($0)\n" } ?? "", after: "-> \(template)\n",
            beforeHeader: path.rawValue, afterHeader: path.rawValue),
          actions: [.run(Command(["ln", "-sfn", "--", template, path.rawValue]))]))
    }
    let excess = existing.keys.compactMap(Int.init).filter { $0 >= count }.sorted()
    if !excess.isEmpty {
      let paths = excess.map { directory.appending(instanceFile($0)).rawValue }
      changes.append(
        Change(
          "remove " + paths.joined(separator: " "),
          actions: [
            .run(Command(["rm", "-f", "--"] + paths)),
            .run(Command(["systemctl", "daemon-reload"])),
          ]))
    }
    let facts: [String: JSONValue] = [
      "instances": .array((0..<count).map { .string(instanceFile($0)) })
    ]
    if changes.isEmpty { return .unchanged("\(count) instances of \(template)", facts: facts) }
    return Plan(changes, facts: facts)
  }
}
