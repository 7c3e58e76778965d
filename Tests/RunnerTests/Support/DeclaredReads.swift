import Engine
import Foundation

/// Plans a module against a host that records every read, and names the reads its plan made
/// that its declaration (`PrefetchingModule.reads`) did not list: after the prefetch, each is
/// a round trip of its own, so a declaration that drifts from the plan costs time silently.
enum DeclaredReads {
  struct Report {
    /// What the plan read that was not declared: `read PATH` or the command line.
    var undeclared: [String]
    /// How many reads the plan made, so a sample that reads nothing is noticed.
    var reads: Int
  }

  static func check(_ module: any Module, on host: FakeHost) async throws -> Report {
    let declared =
      (module as? any PrefetchingModule)?.reads(for: InventoryHost(name: host.name))
      ?? []
    let files = Set(
      declared.compactMap { probe -> HostPath? in
        if case .file(let path) = probe { return path }
        return nil
      })
    let commands = Set(declared.compactMap(\.command).map(\.arguments))
    let (commandsBefore, readsBefore) = (host.commands.count, host.readPaths.count)
    let context = PlanContext(
      host: InventoryHost(name: host.name), isCheckMode: false,
      reader: HostReader(connection: host))
    _ = try await module.plan(in: context)
    let ran = host.commands.dropFirst(commandsBefore)
    let read = host.readPaths.dropFirst(readsBefore)
    return Report(
      undeclared: read.filter { !files.contains($0) }.map { "read \($0)" }
        + ran.filter { !commands.contains($0) }.map { $0.joined(separator: " ") },
      reads: ran.count + read.count)
  }
}
