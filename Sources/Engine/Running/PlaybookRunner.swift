import Foundation

/// Runs a playbook against an inventory with Ansible's linear strategy. First every play is
/// compiled and validated for every host — nothing connects before all problems are known —
/// then plays run in order, hosts in lockstep step by step, `forks` at a time.
public struct PlaybookRunner: Sendable {
  public let options: RunOptions
  public let roles: RoleRegistry
  public let connections: any ConnectionFactory
  public let clock: any RunClock
  public let stopSignal: StopSignal

  public init(
    options: RunOptions, roles: RoleRegistry, connections: any ConnectionFactory,
    clock: any RunClock = SystemClock(), stopSignal: StopSignal = StopSignal()
  ) {
    self.options = options
    self.roles = roles
    self.connections = connections
    self.clock = clock
    self.stopSignal = stopSignal
  }

  /// A play ready to run: its hosts and, per host, the compiled program and variables.
  public struct PreparedPlay: Sendable {
    public var play: Play
    public var hosts: [InventoryHost]
    public var programs: [String: HostProgram]
    public var variables: [String: Variables]
    /// Each host's module values, made while validating and used again by the run.
    var modules: [String: ResolvedModules] = [:]
    /// The inventory's groups (`groups` in expressions), children expanded.
    public var groups: [String: [String]] = [:]
  }

  /// Compiles and validates every play for every host. Throws `DefinitionErrors` with every
  /// problem found; returns warnings (e.g. from play-wide role checks) with the plays.
  public func prepare(
    _ playbook: Playbook, inventory: Inventory
  ) throws -> (plays: [PreparedPlay], warnings: [Diagnostic]) {
    var problems: [Diagnostic] = []
    var prepared: [PreparedPlay] = []
    let compiler = ProgramCompiler(roles: roles, selection: options.tags)
    var validationWarnings: [Diagnostic] = []
    var secretVariables: Set<String> = []
    for type in roles.types.values { secretVariables.formUnion(type.secretVariables) }
    let limit = options.limit.map { inventory.select($0) }
    // As Ansible: a limit that leaves no host (an unknown name, or `!x` excluding the only
    // host) is an error, not an empty run that looks like success.
    if let limit, limit.hosts.isEmpty {
      problems.append(
        Diagnostic(
          at: nil,
          "--limit '\(options.limit ?? "")' "
            + (limit.unknown.isEmpty
              ? "leaves no host to target" : "matches no host of the inventory")))
    }
    // `--start-at-task`: pending until a play holds the step; the plays before it run nothing.
    var startAt = options.startAtTask.map(StartAtTask.init)
    for play in playbook.plays {
      var startFound = false
      let selection = inventory.select(play.hosts)
      for name in selection.unknown {
        let unknown = Diagnostic(
          options.syntaxCheckOnly ? .warning : .error, at: play.source,
          "play '\(play.displayName)': hosts pattern names unknown host or group '\(name)'"
            + Spelling.suggestion(
              for: name, in: inventory.groups.keys.sorted() + inventory.hosts.map(\.name)))
        if options.syntaxCheckOnly {
          validationWarnings.append(unknown)
        } else {
          problems.append(unknown)
        }
      }
      var hosts = selection.hosts
      if let limit {
        hosts = hosts.filter { host in limit.hosts.contains { $0.name == host.name } }
      }
      var entry = PreparedPlay(play: play, hosts: hosts, programs: [:], variables: [:])
      entry.groups = inventory.groups
      let registered = Set(Self.registeredNames(play))
      let dataRoles = Self.exposedDataRoles(play)
      let roleDefaults = dataRoles.reduce(into: [:]) { $0.merge($1.defaults) { _, new in new } }
      let roleVariables = dataRoles.reduce(into: [:]) { $0.merge($1.variables) { _, new in new } }
      for host in hosts {
        var variables = Variables(
          layers: [
            roleDefaults, host.groupVariables, host.hostVariables, play.variables, roleVariables,
          ],
          extra: options.extraVariables, environment: options.environment, deferred: registered)
        variables.secretNames = variables.referenceClosure(of: secretVariables)
        var (program, compileProblems) = compiler.compile(play, for: host, variables: variables)
        if let startAt {
          let started = startAt.program(startingIn: program)
          program = started.program
          startFound = startFound || started.found
        }
        // The one place every problem about this host passes: a secret's value can reach any
        // of them, quoted back as "found …" by a check of a variable or argument that is not
        // itself secret (`dci_api_container_image` set to `{{ vault_db_password }}`).
        let masker = SecretMasker(
          secrets: program.secrets + variables.secretValues + options.knownSecrets)
        for problem in compileProblems.map(masker.mask) {
          if problem.severity == .warning {
            validationWarnings.append(problem)
          } else {
            problems.append(problem)
          }
        }
        let modules = ResolvedModules()
        let checked = PlayValidator(play: play)
          .validate(program, host: host, variables: variables, modules: modules)
          .map(masker.mask)
        problems += checked.filter { $0.severity == .error }
        validationWarnings += checked.filter { $0.severity == .warning }
        entry.programs[host.name] = program
        entry.variables[host.name] = variables
        entry.modules[host.name] = modules
      }
      prepared.append(entry)
      if startFound { startAt = nil }
    }
    if let startAt {
      // ansible-playbook runs the plays with nothing in them and then says so; nothing to
      // run is a mistyped name, told before anything connects.
      problems.append(
        Diagnostic(
          at: nil,
          "No matching task \"\(startAt.pattern)\" found. Note: --start-at-task can only "
            + "follow static includes."))
    }
    let warnings = validationWarnings.uniqued() + prepared.flatMap(Self.playWideChecks)
    problems += warnings.filter { $0.severity == .error }
    let errors = problems.uniqued()
    if !errors.isEmpty { throw DefinitionErrors(errors) }
    return (prepared, warnings.filter { $0.severity == .warning })
  }

  /// Runs prepared plays, reporting every event to `sink`; returns the recap. Never throws:
  /// host problems are results.
  public func run(_ plays: [PreparedPlay], reportingTo sink: any EventSink) async -> PlayRecap {
    var runtimes: [String: HostRuntime] = [:]
    var recap = PlayRecap()
    var lost: Set<String> = []  // failed or unreachable in an earlier play
    var order: [String] = []
    let locks = HostLocks(options: options)
    playLoop: for prepared in plays {
      let hosts = prepared.hosts.filter { !lost.contains($0.name) }
      await sink.record(
        .playStarted(
          PlayInfo(
            name: prepared.play.displayName, hosts: hosts.map(\.name),
            source: prepared.play.source.description, checkMode: options.checkMode)))
      var playRuntimes: [HostRuntime] = []
      let connected = await connect(hosts, prepared)
      let usable = await locks.lock(
        connected.map { ($0.host.name, $0.connection) }, reportingTo: sink)
      for (host, connection) in connected {
        let runtime = makeRuntime(
          host, prepared, connection: usable[host.name] ?? connection,
          previous: runtimes[host.name])
        runtimes[host.name] = runtime
        playRuntimes.append(runtime)
        if !order.contains(host.name) { order.append(host.name) }
      }
      let execution = PlayExecution(
        play: prepared.play, groups: prepared.groups, options: options, sink: sink,
        executor: StepExecutor(
          options: options, clock: clock, live: { event in await sink.record(event) }),
        stopSignal: stopSignal)
      let outcome = await execution.run(playRuntimes)
      for runtime in playRuntimes {
        if runtime.status == .failed || runtime.status == .unreachable {
          lost.insert(runtime.name)
        }
        let trips = runtime.stats.roundTrips
        await sink.record(
          .detail(
            host: runtime.name, message: "\(trips) round trip\(trips == 1 ? "" : "s")", verbosity: 1
          ))
      }
      await sink.record(
        .playFinished(
          PlayInfo(
            name: prepared.play.displayName, hosts: hosts.map(\.name),
            source: prepared.play.source.description, checkMode: options.checkMode)))
      if stopSignal.isStopped {
        recap.interrupted = true
        break playLoop
      }
      if outcome == .stopPlaybook { break playLoop }
      // Every host of the play failed: ansible-playbook runs no later play.
      if !playRuntimes.isEmpty && playRuntimes.allSatisfy({ lost.contains($0.name) }) {
        break playLoop
      }
    }
    for name in order {
      if let runtime = runtimes[name] { recap.stats[name] = runtime.stats }
    }
    await locks.releaseAll()
    await connections.closeAll()
    await sink.record(.finished(recap))
    return recap
  }

  /// Each host with the play's settings (its `become`) and the connection to it.
  private func connect(
    _ hosts: [InventoryHost], _ prepared: PreparedPlay
  ) async -> [(host: InventoryHost, connection: any Connection)] {
    var connected: [(host: InventoryHost, connection: any Connection)] = []
    for host in hosts {
      var settings = host
      if let become = prepared.play.become { settings.connection.become = become }
      do {
        connected.append((settings, try await connections.connection(to: settings)))
      } catch {
        connected.append((settings, UnreachableConnection(reason: "\(error)")))
      }
    }
    return connected
  }

  private func makeRuntime(
    _ host: InventoryHost, _ prepared: PreparedPlay, connection: any Connection,
    previous: HostRuntime?
  ) -> HostRuntime {
    let program = prepared.programs[host.name] ?? HostProgram()
    var variables = prepared.variables[host.name] ?? Variables(layers: [])
    // Validation deferred the names later steps register; running, a name not registered
    // yet is simply undefined (`x is defined` is false, not an error).
    variables.deferred = []
    if let previous {
      for (name, value) in previous.variables.registered { variables.register(name, value) }
    }
    let runtime = HostRuntime(
      host: host, connection: connection, program: program, variables: variables,
      modules: prepared.modules[host.name] ?? ResolvedModules(),
      handlerRecord: PendingHandlerRecord(play: prepared.play, host: host.name))
    if let previous { runtime.count { $0 = previous.stats } }
    return runtime
  }

  /// The directory roles whose defaults and vars the whole play sees (Ansible exposes those
  /// of `roles:` and `import_role`), dependencies first, in load order.
  static func exposedDataRoles(_ play: Play) -> [DataRole] {
    func imported(_ steps: [Step]) -> [DataRole] {
      steps.flatMap { step -> [DataRole] in
        if case .role(let inclusion, included: false) = step.body { return inclusion.dataRoles }
        return imported(step.nestedSteps)
      }
    }
    return play.roles.flatMap(\.dataRoles) + imported(play.preSteps + play.steps + play.postSteps)
  }

  static func registeredNames(_ play: Play) -> [String] {
    func names(_ steps: [Step]) -> [String] {
      steps.flatMap { step -> [String] in
        // An include's loop variable is bound for its file's steps only when it runs.
        var found = (step.register.map { [$0] } ?? []) + step.defines + names(step.nestedSteps)
        if case .include = step.body, step.loop != nil { found.append(step.loopControl.variable) }
        return found
      }
    }
    // Set by a failure, for the rescue and always parts of a block.
    let failureNames = ["ansible_failed_task", "ansible_failed_result"]
    return names(play.preSteps + play.steps + play.postSteps + play.handlers.map(\.step))
      + failureNames
  }

  static func playWideChecks(_ prepared: PreparedPlay) -> [Diagnostic] {
    var byType: [RoleName: (type: any PlayWideChecking.Type, instances: [(String, any Role)])] = [:]
    for host in prepared.hosts {
      for role in prepared.programs[host.name]?.roles ?? [] {
        guard let checking = type(of: role) as? any PlayWideChecking.Type else { continue }
        byType[checking.name, default: (checking, [])].instances.append((host.name, role))
      }
    }
    return byType.keys.sorted().flatMap { name -> [Diagnostic] in
      guard let entry = byType[name] else { return [] }
      return entry.type.checkErased(entry.instances)
    }
  }
}

extension PlayWideChecking {
  static func checkErased(_ instances: [(String, any Role)]) -> [Diagnostic] {
    check(instances.compactMap { host, role in (role as? Self).map { (host, $0) } })
  }
}
