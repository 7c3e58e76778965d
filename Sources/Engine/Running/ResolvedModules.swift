internal import Synchronization

/// The module values made on one host, each once per recipe and inputs, so that validation
/// before the run, the prefetch and execution share one value and one `validate()` (a
/// JSON task's arguments are decoded once per host and loop item, not three times). A value
/// is a pure function of its inputs, so a later scope whose inputs render the same (after a
/// `register` that changed nothing they name) reuses it; other inputs make a new value.
final class ResolvedModules: Sendable {
  private struct Key: Hashable {
    let recipe: ModuleRecipe.Identity
    let inputs: JSONValue
  }

  private struct Made: Sendable {
    let module: any Module
    let problems: [String]
  }

  private let made = Mutex<[Key: Made]>([:])

  /// `step` resolved in `scope`; throws what the recipe throws (a definition error, or a
  /// `DeferredReference` to a name registered later). Nil for a step that runs no module.
  func resolve(_ step: Step, in scope: StepScope) throws -> ResolvedStep? {
    guard case .module(let recipe) = step.body else { return nil }
    let key = Key(recipe: recipe.identity, inputs: try recipe.inputs(scope))
    if let known = made.withLock({ $0[key] }) {
      return ResolvedStep(step: step, scope: scope, module: known.module, problems: known.problems)
    }
    let module = try recipe.make(key.inputs)
    let problems = (module as? any ValidatingModule)?.validate() ?? []
    made.withLock { $0[key] = Made(module: module, problems: problems) }
    return ResolvedStep(step: step, scope: scope, module: module, problems: problems)
  }
}
