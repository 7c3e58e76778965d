/// Checks a compiled play for every host before anything runs: handler names, notify targets,
/// and that every step's module can be built from its arguments and variables. All problems
/// are returned at once; a problem found on several hosts is reported once.
struct PlayValidator {
  let play: Play

  /// The problems of `program` on `host`; the module values made on the way are kept in
  /// `modules` for the run.
  func validate(
    _ program: HostProgram, host: InventoryHost, variables: Variables, modules: ResolvedModules
  ) -> [Diagnostic] {
    var problems = duplicateHandlers(program)
    let scope = StepScope(host: host, variables: variables)
    for step in program.allSteps {
      let stepScope =
        step.boundNames.isEmpty
        ? scope : StepScope(for: step, host: host, variables: variables)
      problems += notifyProblems(step, program: program, scope: stepScope)
      problems += moduleProblems(step, scope: stepScope, modules: modules)
    }
    return problems
  }

  private func duplicateHandlers(_ program: HostProgram) -> [Diagnostic] {
    var seen: [HandlerIdentity: Handler] = [:]
    var problems: [Diagnostic] = []
    for handler in program.handlers {
      if let first = seen[handler.identity] {
        problems.append(
          Diagnostic(
            .warning, at: handler.step.source,
            "duplicate handler name '\(handler.identity)': only the first, defined at "
              + "\(first.step.source), answers (as in Ansible)",
            note: "rename one to run both"))
        continue
      }
      seen[handler.identity] = handler
    }
    return problems
  }

  private func notifyProblems(_ step: Step, program: HostProgram, scope: StepScope) -> [Diagnostic]
  {
    // A templated name is checked where it can be rendered: per loop item, or, without a
    // loop, when it renders to a list (`"{{ handler_list }}"`).
    let items = (try? step.loop?(scope)) ?? nil
    var names: [HandlerID] = []
    for id in step.notify {
      guard id.rawValue.contains("{{") else {
        names.append(id)
        continue
      }
      if let items {
        names += items.flatMap { id.rendered(in: scope.with(item: $0)) ?? [] }
      } else if case .array? = try? scope.variables.resolve(.string(id.rawValue)) {
        names += id.rendered(in: scope) ?? []
      }
    }
    var problems: [Diagnostic] = []
    for name in names {
      if program.handlers(answering: name, from: step.role).isEmpty {
        let known = program.handlers.flatMap { $0.names + $0.topics }.map(\.rawValue)
        problems.append(
          Diagnostic(
            at: step.source,
            "step '\(step.displayName)' notifies unknown handler '\(name)'"
              + Spelling.suggestion(for: name.rawValue, in: known)))
      }
    }
    return problems
  }

  private func moduleProblems(_ step: Step, scope: StepScope, modules: ResolvedModules)
    -> [Diagnostic]
  {
    guard let moduleName = step.moduleName else { return [] }
    let scopes: [StepScope]
    do {
      scopes = try StepExecutor.itemScopes(of: step, in: scope)
    } catch is DeferredReference {
      return []
    } catch {
      return [Diagnostic(at: step.source, "step '\(step.displayName)': loop: \(error)")]
    }
    var problems: [Diagnostic] = []
    for itemScope in scopes {
      do {
        let resolved = try modules.resolve(step, in: itemScope)
        problems += (resolved?.problems ?? []).map {
          Diagnostic(at: step.source, "step '\(step.displayName)' (\(moduleName)): \($0)")
        }
      } catch is DeferredReference {
        continue
      } catch let error as DefinitionErrors {
        problems += error.problems
      } catch {
        problems += DecodingDiagnostics.describeAll(error).map { path, message in
          var location = step.source
          if location.path != nil { location.path = location.path?.appending(path) }
          return Diagnostic(at: location, "\(moduleName): \(message)")
        }
      }
    }
    return problems
  }
}

extension Array where Element == Diagnostic {
  /// Drops repeats (the same problem found on every host), keeping first-seen order.
  func uniqued() -> [Diagnostic] {
    var seen: Set<Diagnostic> = []
    return filter { seen.insert($0).inserted }
  }
}
