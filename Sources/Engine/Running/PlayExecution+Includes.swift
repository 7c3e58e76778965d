import Synchronization

/// `include_tasks` (and `include_role`, which becomes one): a file of steps run in place.
extension PlayExecution {
  /// `include_tasks`: its `when` per host (false: skipped), then `included: FILE for …` (an
  /// ok on each host, as Ansible counts it) and the file's steps on those hosts, where the
  /// include stands (a failure there is one of the enclosing part). With a loop, each item
  /// is one inclusion, announced together, then run in order with the item bound.
  func runInclude(
    _ include: TaskInclude, step: Step, perHost: [String: Step?], hosts: [HostRuntime],
    allHosts: [HostRuntime], row: StepAlignment.Row, run: BatchRun, part: BlockPart?,
    asHandlers: Bool
  ) async {
    let info = info(for: step, handler: asHandlers)
    guard await isConfirmed(info) else { return }
    await sink.record(.stepStarted(info))
    // Per host, the loop items it includes the file for (one `nil` item without a loop).
    var inclusions: [(host: HostRuntime, items: [JSONValue?])] = []
    let magic = magicNames(run)  // one value for every host
    for host in hosts {
      guard let hostStep = perHost[host.name] ?? nil else { continue }
      let scope = StepScope(
        for: hostStep, host: host.host, variables: host.variables, magic: magic)
      var result: StepResult
      do {
        guard let loop = hostStep.loop else {
          if try hostStep.when?.holds(in: scope) ?? true {
            inclusions.append((host, [nil]))
            continue
          }
          result = .skipped("Conditional result was False", condition: hostStep.when?.text)
          await record(
            StepExecutor.Outcome(result: result), host: host, step: step, info: info, part: part)
          continue
        }
        let control = hostStep.loopControl
        var chosen: [JSONValue?] = []
        var skipped: [StepResult] = []
        for item in try loop(scope) {
          let itemScope = scope.with(item: item, named: control.variable)
          if try hostStep.when?.holds(in: itemScope) ?? true {
            chosen.append(item)
          } else {
            var skip = StepResult.skipped("Conditional result was False")
            skip.item = item
            skip.itemVariable = control.variable
            skip.itemLabel = control.label?(item)
            skipped.append(skip)
          }
        }
        if !chosen.isEmpty { inclusions.append((host, chosen)) }
        guard chosen.isEmpty else { continue }
        result = StepExecutor.aggregate(skipped)
        if skipped.isEmpty { result = .skipped("No items in the list") }
      } catch {
        result = .failure("include_tasks: \(error)")
      }
      await record(
        StepExecutor.Outcome(result: result), host: host, step: step, info: info, part: part)
    }
    guard !inclusions.isEmpty else { return }
    let count = inclusions.map(\.items.count).max() ?? 0
    let variable = step.loopControl.variable
    for index in 0..<count {
      let members = inclusions.filter { $0.items.count > index }
      let item = members.first?.items[index]
      await sink.record(
        .included(
          file: include.file, hosts: members.map(\.host.name), step: info,
          item: item.map { step.loopControl.label?($0) ?? $0.interpolated }))
      for member in members { member.host.count { $0.ok += 1 } }
    }
    for index in 0..<count {
      let members = inclusions.filter { $0.items.count > index }
      let lists = members.map { member -> [Step] in
        guard let position = allHosts.firstIndex(where: { $0 === member.host }),
          case .include(let own) = row.steps[position]?.body
        else { return [] }
        guard let item = member.items[index] else { return own.steps }
        return own.steps.map { $0.binding([variable: item]) }
      }
      _ = await runRows(
        StepAlignment.align(lists), hosts: members.map(\.host), run: run, part: part,
        asHandlers: asHandlers)
    }
  }
}
