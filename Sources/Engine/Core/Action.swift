/// An effect on a host, carried out by the engine through its `Connection`.
public enum Action: Sendable, Hashable {
  /// Runs a command; any exit status other than those accepted fails the step.
  case run(Command, acceptedExitCodes: Set<Int32> = [0])
  /// Writes a file atomically.
  case write(FileWrite)
}
