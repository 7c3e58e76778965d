import Connections
import Engine
import Foundation
import Modules
import Roles
import Vault

/// Ctrl-C: the first stops the run after the current step (recap printed, exit 99); a second
/// one exits at once. (`@unchecked`: Dispatch's signal source is thread-safe but not marked
/// `Sendable`; it is only resumed and cancelled.)
final class InterruptHandler: @unchecked Sendable {
  private let source: any DispatchSourceSignal

  init(_ stopSignal: StopSignal) {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
      if stopSignal.isStopped { exit(99) }
      stopSignal.stop()
    }
    source.resume()
  }

  func cancel() { source.cancel() }
}
