import Engine
import Foundation

/// HostRead batches answered by the shell that holds the host's run lock (`HostLockScript`):
/// sent on its input, answered on its output. Over ssh a batch otherwise costs a session of
/// its own, a login shell, `sudo` with its PAM helper and a `sh` on the host, and the time of
/// each; here it costs no process of its own, only those of its reads.
///
/// A request is the batch's positional parameters, one line each (`a` and the text; `+` and
/// the text for each line after a newline in it), then `.` alone. The reply is what the batch
/// would print as a program of its own, then a line of its boundary with `status` and its
/// exit status. A connection whose lock shell is gone asks in sessions of their own again.
enum HeldBatches {
  /// `batch` is `PrefetchScript`'s function, run in this shell itself: it returns rather
  /// than exits, and each command it runs closes the lock's descriptor; `serve` answers
  /// requests until the input closes.
  static let shellFunctions = """
    \(PrefetchScript.function)
    serve() {
      while :; do
        set --
        v= n= d=
        while IFS= read -r l; do
          case $l in
            a*)
              if [ -n "$n" ]; then set -- "$@" "$v"; fi
              v=${l#a} n=1
              ;;
            +*) v="$v
    ${l#+}" ;;
            .)
              d=1
              break
              ;;
          esac
        done
        if [ -z "$d" ]; then exit 0; fi
        if [ -n "$n" ]; then set -- "$@" "$v"; fi
        batch "$@" </dev/null
        printf '\\n%s status %s\\n' "$1" "$?"
      done
    }

    """

  /// The request carrying `parameters`.
  static func request(_ parameters: [String]) -> Data {
    var text = ""
    for parameter in parameters {
      let lines = parameter.split(separator: "\n", omittingEmptySubsequences: false)
      text += "a" + (lines.first ?? "") + "\n"
      for line in lines.dropFirst() { text += "+" + line + "\n" }
    }
    return Data((text + ".\n").utf8)
  }

  /// Sends `script`'s batch to the lock shell and waits for its reply; nil when the shell no
  /// longer answers (its session ended), so the batch can be asked on its own.
  static func answer(_ script: PrefetchScript, on shell: HeldProcess) async throws
    -> CommandOutput?
  {
    guard await shell.send(request(script.parameters)) else { return nil }
    let marker = Data("\n\(script.boundary) status ".utf8)
    guard let reply = await shell.output.reply(endingWith: marker),
      let status = Int32(reply.trailer)
    else {
      throw ModuleError(
        "cannot read the host's state: the session holding the host's run lock ended"
          + " during a batch of \(script.probes.count) probes")
    }
    return CommandOutput(
      exitCode: status, standardOutput: reply.body,
      standardError: status == 0 ? Data() : shell.standardError)
  }
}
