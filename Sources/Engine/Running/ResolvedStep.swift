internal import Synchronization

/// A step made concrete for one host and loop item: the step, the scope it runs in, and the
/// module value its recipe made there, with what `validate()` said of that value.
struct ResolvedStep: Sendable {
  let step: Step
  let scope: StepScope
  let module: any Module
  /// `validate()`'s problems, asked once for the value.
  let problems: [String]
}
