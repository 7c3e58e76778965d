public import Engine
import Foundation

/// Ansible's `containers.podman.podman_secret`: a Podman secret holding `data`, which a
/// container reads as a file or an environment variable (Quadlet's
/// `Secret=NAME,type=env,target=VAR`). Unlike an environment file, a secret carries any bytes
/// byte for byte, line breaks included (a PEM key).
///
/// The data travels on standard input only, never in a command line on the controller or the
/// host; a change is found by comparing it with what the secret holds now, so a rerun with the
/// same data is `ok` and `--check` predicts a rotation. Diffs never show it.
public struct PodmanSecret: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "podman_secret"

  public enum State: String, Sendable, Hashable, Decodable, CaseIterable {
    case present
    case absent
  }

  public var name: String
  /// The secret's bytes (text); required for `present`.
  public var data: String
  public var state: State

  /// Podman refuses empty secrets and secrets of 512,000 bytes or more.
  static let sizeLimit = 512_000

  public init(name: String, data: String = "", state: State = .present) {
    self.name = name
    self.data = data
    self.state = state
  }

  public enum CodingKeys: String, CodingKey, CaseIterable { case name, data, state }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    name = args.required(.name) ?? ""
    state = args.choice(.state) ?? .present
    data = (state == .present ? args.required(.data) : args.optional(.data)) ?? ""
    try args.finish(checking: self)
  }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    var problems: [KeyedProblem<CodingKeys>] = []
    if name.isEmpty || name.hasPrefix("-")
      || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
    {
      problems.append(
        .init(.name, "'\(name)' is not a secret name (letters, digits, '-', '_', '.')"))
    }
    if state == .present {
      let size = data.utf8.count
      if size == 0 || size >= Self.sizeLimit {
        problems.append(
          .init(
            .data,
            "a secret's data must be 1 to \(Self.sizeLimit - 1) bytes (podman's limit), "
              + "found \(size)"))
      }
    }
    return problems
  }

  public func reads(for host: InventoryHost) -> [HostRead] {
    [.fact(PodmanSecretData(name: name))]
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    let current = try await context.gather(PodmanSecretData(name: name))
    let values: [String: JSONValue] = ["name": .string(name), "state": .string(state.rawValue)]
    switch state {
    case .absent:
      guard current != nil else { return .unchanged("no secret \(name)", values: values) }
      let remove = Command(["podman", "secret", "rm", "--", name])
      return Plan([Change("remove secret \(name)", actions: [.run(remove)])], values: values)
    case .present:
      let wanted = Data(data.utf8)
      if current == wanted { return .unchanged(nil, values: values) }
      let create = Command(
        ["podman", "secret", "create", "--replace", "--", name, "-"], input: wanted)
      let header = "podman secret \(name)"
      let diff = Diff(
        before: "", after: "", beforeHeader: header, afterHeader: header, isHidden: true)
      let verb = current == nil ? "create" : "replace"
      return Plan(
        [Change("\(verb) secret \(name)", diff: diff, actions: [.run(create)])], values: values)
    }
  }
}
