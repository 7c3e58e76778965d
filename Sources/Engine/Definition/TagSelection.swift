import Foundation

/// `--tags` and `--skip-tags`: which steps run, by the tags each carries (its own, its
/// blocks', its role's and its play's). The rules are ansible-core's `Taggable.evaluate_tags`:
/// `always` runs unless skipped by name, `never` only when asked for by name, `tagged` and
/// `untagged` select by whether a step has tags at all, `all` is every step but `never` ones.
public struct TagSelection: Sendable, Equatable {
  /// `--tags`; empty means `all`, ansible-playbook's default.
  public var only: Set<String>
  public var skip: Set<String>

  public init(only: some Sequence<String> = [], skip: some Sequence<String> = []) {
    let only = Set(only)
    self.only = only.isEmpty ? ["all"] : only
    self.skip = Set(skip)
  }

  /// The names in `"a, b,c"`: split at commas, trimmed, blanks dropped (how both the
  /// `tags` keyword and `--tags` read a text).
  public static func names(in text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
  }

  /// ansible-playbook's default: every step but the ones tagged `never`.
  public static let everything = TagSelection()

  public func selects(_ stepTags: Set<String>) -> Bool {
    let untagged: Set<String> = ["untagged"]
    let tags = stepTags.isEmpty ? untagged : stepTags
    var runs: Bool
    if tags.contains("always") {
      runs = true
    } else if only.contains("all") && !tags.contains("never") {
      runs = true
    } else if !tags.isDisjoint(with: only) {
      runs = true
    } else if only.contains("tagged") && tags != untagged && !tags.contains("never") {
      runs = true
    } else {
      runs = false
    }
    guard runs, !skip.isEmpty else { return runs }
    if skip.contains("all") {
      if !tags.contains("always") || skip.contains("always") { runs = false }
    } else if !tags.isDisjoint(with: skip) {
      runs = false
    } else if skip.contains("tagged") && tags != untagged {
      runs = false
    }
    return runs
  }

  /// `steps` without the ones this selection leaves out: a block keeps its selected steps
  /// and goes when none is left (Ansible's `filter_tagged_tasks`); an `include_tasks` is
  /// judged by its own tags, and the steps it includes each by theirs.
  public func filter(_ steps: [Step]) -> [Step] {
    return steps.compactMap { step in
      switch step.body {
      case .block(var block):
        block.steps = filter(block.steps)
        block.rescue = filter(block.rescue)
        block.always = filter(block.always)
        guard !(block.steps + block.rescue + block.always).isEmpty else { return nil }
        var kept = step
        kept.body = .block(block)
        return kept
      case .include(var include):
        guard selects(step.tags) else { return nil }
        include.steps = filter(include.steps)
        var kept = step
        kept.body = .include(include)
        return kept
      case .module, .meta, .role:
        return selects(step.tags) ? step : nil
      }
    }
  }
}
