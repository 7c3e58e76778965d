import Engine
import Foundation
import Synchronization

/// `--step` on the terminal, in ansible-playbook's words (`StrategyBase._take_step`):
/// `Perform task: TASK: name (N)o/(y)es/(c)ontinue:`; `y` runs it, `c` runs it and every
/// later step without asking, anything else skips it. The question is then printed again as
/// a banner, as Ansible does.
final class StepPrompt: StepConfirming {
  private let continuing = Mutex(false)
  private let style: ConsoleStyle
  private let readAnswer: @Sendable () -> String?
  private let write: @Sendable (String) -> Void

  init(
    style: ConsoleStyle, readAnswer: @escaping @Sendable () -> String? = { readLine() },
    write: @escaping @Sendable (String) -> Void
  ) {
    self.style = style
    self.readAnswer = readAnswer
    self.write = write
  }

  func shouldRun(_ step: StepInfo) async -> Bool {
    if continuing.withLock({ $0 }) { return true }
    let kind = step.isHandler ? "HANDLER" : "TASK"
    let question = "Perform task: \(kind): \(step.displayName) (N)o/(y)es/(c)ontinue: "
    write(question)
    let answer = (readAnswer() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    write(style.banner(question))
    switch answer {
    case "y", "yes": return true
    case "c", "continue":
      continuing.withLock { $0 = true }
      return true
    default: return false
    }
  }
}
