import Foundation

/// Prefetches for a host: asks it, in one round trip, every read the given steps declare
/// they will make when they plan (`PrefetchingModule`), and keeps the answers in the host's
/// read cache. An unchanged host then plans a whole role without further round trips. Facts
/// of one kind are asked as one command (`MergeableFact`): the host spawns one process per
/// kind, not one per fact.
enum Prefetcher {
  static func prefetch(_ steps: ArraySlice<Step>, on host: HostRuntime) async {
    // A connection that cannot answer many reads at once would cost as much prefetching as
    // reading when planning; such connections just read lazily. Where a read is no round
    // trip (local), only the play's first prefetch pays: after a change, the next steps'
    // reads are fewer than all of them.
    guard let connection = host.connection as? any PrefetchingConnection,
      connection.prefetchesAgainAfterChanges || !host.hasPrefetched
    else { return }
    host.hasPrefetched = true
    let declared = collect(steps, host: host) + [.file(host.handlerRecord.path)]
    let merged = MergedRead.grouping(declared.compactMap(\.mergeableRead), on: host.host)
    let asked = merged.filter { $0.files == nil }
    var reads = declared.filter { $0.mergeableRead == nil } + asked.map { .command($0.command) }
    for path in merged.flatMap({ $0.files ?? [] }) where !reads.contains(.file(path)) {
      reads.append(.file(path))
    }
    do {
      let answers = try await connection.answer(reads)
      var files: [HostPath: Data?] = [:]
      var outputs: [Command: CommandOutput] = [:]
      for (read, answer) in zip(reads, answers) {
        switch (read, answer) {
        case (.file(let path), .file(let data)):
          host.cache.store(data, for: path)
          files.updateValue(data, forKey: path)  // nil is an answer: no such file
        case (.command(let command), .command(let output)):
          host.cache.store(output, for: command)
          outputs[command] = output
        default: continue
        }
      }
      for group in merged {
        let own: [CommandOutput?]
        if group.files != nil {
          own = group.split(files: files)
        } else if let output = outputs[group.command] {
          own = group.split(output)
        } else {
          continue
        }
        for (read, output) in zip(group.reads, own) {
          if let output { host.cache.store(output, for: read.command) }
        }
      }
    } catch {
      // Prefetching is an optimisation: the step itself will read and report the problem.
    }
  }

  private static func collect(_ steps: ArraySlice<Step>, host: HostRuntime) -> [HostRead] {
    var reads: [HostRead] = []
    var seen: Set<HostRead> = []
    let variables = host.variables
    for step in steps where step.moduleName != nil {
      let scope = StepScope(for: step, host: host.host, variables: variables)
      for itemScope in (try? StepExecutor.itemScopes(of: step, in: scope)) ?? [] {
        guard let resolved = try? host.modules.resolve(step, in: itemScope),
          let module = resolved.module as? any PrefetchingModule
        else { continue }
        for read in module.reads(for: host.host) where seen.insert(read).inserted {
          reads.append(read)
        }
      }
    }
    return reads
  }
}
