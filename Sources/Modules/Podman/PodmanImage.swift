public import Engine

/// Ansible's `containers.podman.podman_image` for registry images: pulled only when missing
/// (or when `force` asks), removed with `state: absent`.
///
/// Deviation: with `force: true` the step reports changed whenever it pulls, where Ansible
/// compares the image ID before and after; the plan is made before pulling, so it cannot know.
public struct PodmanImage: PlaybookModule, PrefetchingModule, ValidatingModule {
  public static let name: ModuleName = "podman_image"

  public enum State: String, Sendable, Hashable, Decodable, CaseIterable {
    case present
    case absent
  }

  /// The image name (`quay.io/org/app`); may carry its own tag or digest, then `tag` is unused.
  public var name: String
  public var tag: String
  /// Pull even when the image is present (to pick up a moved tag).
  public var force: Bool
  /// May the image be pulled at all; when not and it is missing, the step fails.
  public var pull: Bool
  public var state: State

  public init(
    name: String, tag: String = "latest", force: Bool = false, pull: Bool = true,
    state: State = .present
  ) {
    self.name = name
    self.tag = tag
    self.force = force
    self.pull = pull
    self.state = state
  }

  public enum CodingKeys: String, CodingKey, CaseIterable { case name, tag, force, pull, state }

  public init(from decoder: any Decoder) throws {
    let args = try ArgumentReader(decoder, keys: CodingKeys.self)
    name = args.required(.name) ?? ""
    tag = args.optional(.tag, default: "latest")
    force = args.optional(.force, default: false)
    pull = args.optional(.pull, default: true)
    state = args.choice(.state) ?? .present
    if args.has(.tag), explicitReference(in: name) != nil {
      args.record(.tag, "'name' already carries a tag or digest; give only one of them")
    }
    try args.finish(checking: self)
  }

  /// The reference pulled and checked: `name` as given when it has a tag or digest of its
  /// own, else `name:tag`.
  public var reference: String { explicitReference(in: name) ?? "\(name):\(tag)" }

  public var argumentProblems: [KeyedProblem<CodingKeys>] {
    var problems: [KeyedProblem<CodingKeys>] = []
    if name.isEmpty || name.contains(where: { $0.isWhitespace || $0.isNewline }) {
      problems.append(.init(.name, "'\(name)' is not an image name"))
    }
    if name.hasPrefix("-") {
      problems.append(.init(.name, "'\(name)' is not an image name (it starts with '-')"))
    }
    if tag.isEmpty || tag.contains(where: { $0.isWhitespace || "/:@".contains($0) }) {
      problems.append(.init(.tag, "'\(tag)' is not an image tag"))
    }
    return problems
  }

  public func reads(for host: InventoryHost) -> [HostRead] {
    [.fact(PodmanImagePresence(reference: reference))]
  }

  public func plan(in context: PlanContext) async throws -> Plan {
    let present = try await context.gather(PodmanImagePresence(reference: reference))
    let values: [String: JSONValue] = ["image": .string(reference)]
    switch state {
    case .absent:
      guard present else { return .unchanged("\(reference) is not present", values: values) }
      return Plan([change("remove", ["podman", "image", "rm", "--", reference])], values: values)
    case .present:
      if present, !force { return .unchanged("\(reference) is present", values: values) }
      guard pull else {
        if present {
          return .unchanged("\(reference) is present; pull is disabled", values: values)
        }
        throw ModuleError("Image \(reference) not found locally and pull is disabled")
      }
      return Plan([change("pull", ["podman", "image", "pull", "--", reference])], values: values)
    }
  }

  private func change(_ verb: String, _ argv: [String]) -> Change {
    Change("\(verb) \(reference)", actions: [.run(Command(argv))])
  }
}

/// `name` itself when it names a tag (`repo:tag`, the colon after the last `/`) or a digest
/// (`repo@sha256:…`); nil when `tag` must be added.
private func explicitReference(in name: String) -> String? {
  if name.contains("@") { return name }
  let lastComponent = name.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
  return lastComponent.contains(":") ? name : nil
}
