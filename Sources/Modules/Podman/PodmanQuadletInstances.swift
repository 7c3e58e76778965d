public import Engine

/// `podman_quadlet_instances`: numbered instances `0..<count` of a Quadlet template, as
/// symlinks `name@N.<kind>` → `name@.<kind>`. Quadlet then generates each instance with the
/// template's `[Install]` section, so every instance starts at boot (generated units cannot be
/// `systemctl enable`d). Scaling down removes every other numbered link: `count` and above,
/// and strays such as `@01`.
public struct PodmanQuadletInstances: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "podman_quadlet_instances"

  public var template: String
  public var count: Int
  public var directory: HostPath

  public init(template: String, count: Int, directory: HostPath = PodmanQuadlet.systemDirectory) {
    self.template = template
    self.count = count
    self.directory = directory
  }

  public enum CodingKeys: String, CodingKey, CaseIterable { case template, count, directory }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    template = args.required(.template) ?? ""
    count = args.required(.count) ?? 0
    directory = args.optional(.directory, default: PodmanQuadlet.systemDirectory)
    try args.finish(checking: self)
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

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    Self.problems(template: template).map { KeyedProblem(.template, $0) }
      + (count >= 0 ? [] : [KeyedProblem(.count, "expected an integer ≥ 0, found \(count)")])
  }

  var links: QuadletInstanceLinks { QuadletInstanceLinks(directory: directory, template: template) }

  /// The file name of instance `index`: `dci-api@3.container`.
  public func instanceFile(_ index: Int) -> String { links.prefix + String(index) + links.suffix }

  /// The template file the links point to.
  var templatePath: HostPath { directory.appending(template) }

  public func reads(for host: InventoryHost) -> [HostRead] {
    [.fact(links), .fact(FileStatus(of: templatePath, followingLinks: true))]
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    let existing = try await context.gather(links)
    var changes: [Change] = []
    var note: String?
    if (0..<count).contains(where: { existing[String($0)] != template }),
      try await context.gather(FileStatus(of: templatePath, followingLinks: true)) == nil
    {
      // quadlet refuses a dangling link, and with it every other unit of the directory:
      // at the next daemon-reload all Quadlet services of the host would vanish.
      let message =
        "template \(templatePath) does not exist; links to it would make quadlet fail "
        + "for every unit at the next daemon-reload"
      // In check mode an earlier step (`podman_quadlet`) may be what writes it.
      guard context.isCheckMode else {
        throw ModuleError(message, hint: "declare the template with podman_quadlet first")
      }
      note = message + " (yet)"
    }
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
    // Every numbered link but `0`…`count-1` as written: `@01` or `@+1` is another instance
    // (`dci-api@01.service`), not instance 1.
    let wanted = Set((0..<count).map(String.init))
    let excess = existing.keys.filter { Int($0) != nil && !wanted.contains($0) }
      .sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
    if !excess.isEmpty {
      let paths = excess.map { directory.appending(links.prefix + $0 + links.suffix) }
      changes.append(
        Change(
          "remove " + paths.map(\.rawValue).joined(separator: " "),
          diff: Diff(
            before: zip(paths, excess).map { "\($0.0.lastComponent) -> \(existing[$0.1] ?? "")\n" }
              .joined(),
            after: "", beforeHeader: directory.rawValue, afterHeader: directory.rawValue),
          actions: [
            .run(Command(["rm", "-f", "--"] + paths.map(\.rawValue))),
            .run(Command(["systemctl", "daemon-reload"])),
          ]))
    }
    let values: [String: JSONValue] = [
      "instances": .array((0..<count).map { .string(instanceFile($0)) })
    ]
    if changes.isEmpty { return .unchanged("\(count) instances of \(template)", values: values) }
    return Plan(changes, note: note, values: values)
  }
}
