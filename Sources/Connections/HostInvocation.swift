import Engine

/// Turns a `Command` into a self-contained argv for transports that cannot set a working
/// directory or environment themselves (ssh, sudo). A fixed `sh` script receives the
/// directory, the variables and the program as positional parameters, exports, changes
/// directory and `exec`s the program: values are never part of the script text.
enum HostInvocation {
  /// The argv to run; the command's own argv when it needs neither directory nor environment.
  static func arguments(for command: Command) -> [String] {
    if command.directory == nil && command.environment.isEmpty { return command.arguments }
    let assignments = command.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return ["sh", "-c", script, "sh", command.directory ?? "", String(assignments.count)]
      + assignments + command.arguments
  }

  /// `$1` directory (empty: stay), `$2` count of `NAME=value` words that follow, then argv.
  static let script = """
    d=$1 n=$2
    shift 2
    while [ "$n" -gt 0 ]; do export "$1" || exit 126; shift; n=$((n - 1)); done
    if [ -n "$d" ]; then cd "$d" || exit 1; fi
    exec "$@"
    """
}
