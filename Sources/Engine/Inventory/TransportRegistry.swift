/// The transports a run knows, an explicit list: a name (or alias) given twice is an error.
public struct TransportRegistry: Sendable {
  public let transports: [any Transport]
  private let byName: [TransportName: Int]

  public init(_ transports: [any Transport]) throws {
    var byName: [TransportName: Int] = [:]
    var problems: [Diagnostic] = []
    for (index, transport) in transports.enumerated() {
      for name in [transport.name] + transport.aliases {
        if byName[name] != nil {
          problems.append(Diagnostic(at: nil, "transport '\(name)' is registered twice"))
        }
        byName[name] = index
      }
    }
    if !problems.isEmpty { throw DefinitionErrors(problems) }
    self.transports = transports
    self.byName = byName
  }

  /// The transport `name` or one of its aliases names.
  public func transport(named name: TransportName) -> (any Transport)? {
    byName[name].map { transports[$0] }
  }

  /// `"local", "podman" or "ssh"`: what a `connection` may say, for error messages.
  public var namesForMessages: String {
    let names = transports.map { "\"\($0.name)\"" }.sorted()
    guard let last = names.last else { return "nothing" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
  }

  /// Every key a transport reads, for the settings file.
  public var settingKeys: [String] {
    var keys: [String] = []
    for key in transports.flatMap(\.settingKeys) where !keys.contains(key) { keys.append(key) }
    return keys
  }
}
