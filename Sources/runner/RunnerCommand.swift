import Connections
@preconcurrency import Dispatch
import Engine
import Foundation
import Modules
import Roles
import Vault

/// `runner [options] PLAYBOOK.json`: parse, load, validate everything, then run; the only
/// place that exits the process.
@main
enum RunnerCommand {
  static let version = "runner 0.1.0"

  static func main() async {
    let code = await run(Array(CommandLine.arguments.dropFirst()))
    exit(code)
  }

  static func run(_ arguments: [String]) async -> Int32 {
    let options: CommandLineOptions
    do {
      options = try CommandLineOptions.parse(arguments)
    } catch {
      printError("\(error.message)\n\n\(CommandLineOptions.usage)")
      return 5
    }
    if options.showHelp {
      print(CommandLineOptions.usage)
      return 0
    }
    if options.showVersion {
      print(version)
      return 0
    }
    let stopSignal = StopSignal()
    let interrupts = InterruptHandler(stopSignal)
    defer { interrupts.cancel() }
    do {
      return try await execute(options, stopSignal: stopSignal)
    } catch let error as DefinitionErrors {
      printError("ERROR! " + error.description)
      return 1
    } catch {
      printError("ERROR! \(error)")
      return 250
    }
  }

  static func execute(_ options: CommandLineOptions, stopSignal: StopSignal) async throws -> Int32 {
    let playbookPath = options.playbook ?? ""
    let modules = try ModuleRegistry(StandardModules.all)
    let roles = try RoleRegistry(StandardRoles.all)
    var problems: [Diagnostic] = []
    func collect<T>(_ work: () throws -> T) -> T? {
      do { return try work() } catch let error as DefinitionErrors {
        problems += error.problems
      } catch {
        problems.append(Diagnostic(at: nil, "\(error)"))
      }
      return nil
    }
    let config = collect { try RunnerConfigLocator.load() } ?? RunnerConfig()
    if options.verbosity >= 1 && options.output == .console {
      let line =
        config.file.map { "Using \($0) as config file" } ?? "No config file found; using defaults"
      FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
    // a flag beats the settings file: given inventories, forks or vault passwords replace its
    // own; its extra vars come before the command line's, which win
    let inventories = options.inventories.isEmpty ? config.inventories : options.inventories
    let givesVault =
      !options.vaultIDs.isEmpty || !options.vaultPasswordFiles.isEmpty || options.askVaultPassword
    let vault = collect {
      VaultKeyring(
        secrets: try VaultKeyring.secrets(
          ids: givesVault ? options.vaultIDs : config.vaultIDs,
          passwordFiles: givesVault ? options.vaultPasswordFiles : config.vaultPasswordFiles,
          askPassword: options.askVaultPassword))
    }
    let playbook = collect {
      try PlaybookLoader(modules: modules, vault: vault).load(
        try PlaybookFiles.read(playbookPath, what: "playbook"), file: playbookPath)
    }
    let sources = inventories.compactMap { path in
      collect { (data: try PlaybookFiles.read(path, what: "inventory"), file: path) }
    }
    let hostDefaults = options.connectionDefaults(over: config.hosts)
    let inventory =
      inventories.isEmpty
      ? Inventory.localhost(with: hostDefaults)
      : sources.count < inventories.count
        ? nil
        : collect {
          try InventoryLoader.load(
            sources,
            vars: VarsDirectories(
              (inventories + [playbookPath]).map {
                URL(fileURLWithPath: $0).deletingLastPathComponent().path
              }, vault: vault), defaults: hostDefaults)
        }
    let extra = collect {
      try ExtraVariables.parse(config.extraVariables + options.extraVariables, vault: vault) {
        path in
        try PlaybookFiles.read(path, what: "extra vars")
      }
    }
    guard let playbook, let inventory, let extra, problems.isEmpty else {
      throw DefinitionErrors(problems)
    }
    let directory = URL(fileURLWithPath: playbookPath).deletingLastPathComponent()
    var runOptions = RunOptions(
      checkMode: options.check, diff: options.diff, forks: options.forks ?? config.forks ?? 5,
      forceHandlers: options.forceHandlers, limit: options.limit, extraVariables: extra,
      environment: ProcessInfo.processInfo.environment,
      templates: PlaybookTemplates(directory: directory),
      files: PlaybookCopySources(directory: directory), lockTimeout: options.lockTimeout)
    runOptions.knownSecrets = vault?.secretValues ?? []
    runOptions.syntaxCheckOnly = options.syntaxCheck
    // `--list-tags` without `--tags` lists `never` steps' tags too (ansible-playbook's rule)
    let only = options.listTags && options.tags.isEmpty ? ["never", "all"] : options.tags
    runOptions.tags = TagSelection(only: only, skip: options.skipTags)
    runOptions.startAtTask = options.startAtTask
    runOptions.verbosity = options.verbosity
    let style = ConsoleStyle.choose(
      isTerminal: Terminal.standardOutputIsTerminal, terminalColumns: Terminal.columns,
      environment: ProcessInfo.processInfo.environment, settings: config.colours)
    let write: @Sendable (String) -> Void = { text in
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    if options.step { runOptions.stepConfirmation = StepPrompt(style: style, write: write) }
    let runner = PlaybookRunner(
      options: runOptions, roles: roles, connections: StandardConnectionFactory(),
      stopSignal: stopSignal)
    let prepared = try runner.prepare(playbook, inventory: inventory)
    if options.syntaxCheck || options.listHosts || options.listTasks || options.listTags {
      // No reporter runs in these modes, but the play-wide warnings hold all the same; on
      // stderr, so the listing on stdout keeps ansible-playbook's layout.
      for warning in prepared.warnings { printError("[WARNING]: \(warning.message)") }
    }
    if options.syntaxCheck {
      print("\nplaybook: \(playbookPath)")
      return 0
    }
    if options.listHosts || options.listTasks || options.listTags {
      print(
        Listing.render(
          prepared.plays, playbook: playbookPath, hosts: options.listHosts,
          tasks: options.listTasks, tags: options.listTags))
      return 0
    }
    let secrets =
      prepared.plays.flatMap { play in play.programs.values.flatMap { $0.secrets } }
      + runOptions.knownSecrets
    let masker = SecretMasker(secrets: secrets)
    let sink: any EventSink =
      switch options.output {
      case .console:
        ConsoleReporter(
          showDiff: options.diff, verbosity: options.verbosity, masker: masker, style: style,
          write: write)
      case .json:
        JSONReporter(masker: masker, write: write)
      }
    for warning in prepared.warnings {
      await sink.record(.warning(warning.message))
    }
    let recap = await runner.run(prepared.plays, reportingTo: sink)
    return recap.exitCode
  }

  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
