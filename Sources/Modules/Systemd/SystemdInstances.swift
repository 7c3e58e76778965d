public import Engine

/// `systemd_instances`: stops the running instances of a numbered template unit that systemd
/// knows, other than `0`…`keep-1` (`dci-api@4.service` and up when scaling to 4, and a stray
/// `dci-api@01.service`), so scaling down needs no list of what once ran. With `drain`, their
/// servers are taken out of HAProxy first (`"drain": {"backend": "web", "server": "web-%i"}`):
/// the requests in flight finish and no new one reaches an instance that is going away.
public struct SystemdInstances: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "systemd_instances"

  /// `dci-api@` (the unit name up to and including `@`).
  public var template: String
  public var keep: Int
  /// Where the instances' servers are in HAProxy, to drain before stopping them.
  public var drain: HAProxyRotation?

  public init(template: String, keep: Int, drain: HAProxyRotation? = nil) {
    self.template = template
    self.keep = keep
    self.drain = drain
  }

  public enum CodingKeys: String, CodingKey, CaseIterable { case template, keep, drain }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    template = args.required(.template) ?? ""
    keep = args.required(.keep) ?? 0
    drain = args.optional(.drain)
    try args.finish(checking: self)
  }

  static func problems(template: String) -> [String] {
    template.hasSuffix("@") && template.count > 1 && !template.dropLast().contains("@")
      && !template.contains("*")
      ? [] : ["expected a template prefix such as 'web@', found '\(template)'"]
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    var problems = Self.problems(template: template).map { KeyedProblem(CodingKeys.template, $0) }
    if keep < 0 { problems.append(KeyedProblem(.keep, "expected an integer ≥ 0, found \(keep)")) }
    if let drain, drain.serverPattern == nil {
      problems.append(
        KeyedProblem(.drain, "expected 'server' with '%i' for the instance, e.g. 'web-%i'"))
    }
    return problems
  }

  var instances: SystemdTemplateInstances { SystemdTemplateInstances(template: template) }

  public func reads(for host: InventoryHost) -> [HostRead] { [.fact(instances)] }

  public func plan(in context: PlanContext) async throws -> Plan {
    let running = ["active", "activating", "reloading"]
    let known = try await context.gather(instances)
    // Numbered instances other than `0`…`keep-1` as written: `@01` is not instance 1.
    let wanted = Set((0..<keep).map(String.init))
    let excess = known.compactMap { name, state -> (Int, String)? in
      guard let index = Int(name), !wanted.contains(name), running.contains(state) else {
        return nil
      }
      return (index, "\(template)\(name).service")
    }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.1)
    guard !excess.isEmpty else {
      return .unchanged("no running instance of \(template) beyond \(keep)")
    }
    var actions: [Action] = [.run(Command(["systemctl", "stop", "--"] + excess))]
    let servers = excess.compactMap { drain?.server(at: 0, instance: instanceName($0)) }
    if let drain, !servers.isEmpty { actions.insert(.run(drain.runtime.drain(servers)), at: 0) }
    return Plan(
      [Change("stop " + excess.joined(separator: " "), actions: actions)],
      values: ["stopped": .array(excess.map(JSONValue.string))])
  }
}
