/// The host-side client of HAProxy's runtime API (its admin socket): a short python3 program,
/// sent on standard input, because a UNIX socket needs a client on the host and python3 is
/// what every host an Ansible user manages already has (Ansible's own `haproxy` module talks to
/// the same socket from python). It never changes a file; it only speaks to HAProxy.
///
/// `python3 - SOCKET drain|ready|show TIMEOUT BACKEND/SERVER…`:
/// - `drain`: each server to `drain` (no new requests), wait until its sessions and queue are
///   empty (at most TIMEOUT seconds; what is still in flight then is cut by what follows), then
///   to `maint` (no health checks, no traffic).
/// - `ready`: each server back to `ready`, then wait until HAProxy's own health check says `UP`;
///   after TIMEOUT seconds it fails, naming each server, its status and its last check.
/// - `show`: the servers' status, one JSON object.
/// - `reload UNIT`: `systemctl reload UNIT`, then wait until a new worker answers the API (its
///   pid differs): until then the old worker still answers, and a drain asked of it would be
///   lost with it.
/// Each prints one JSON line (`phase`, `servers`, `started`, `seconds`) for the run's report.
/// A missing socket (HAProxy not running) drains and enables nothing and says so; a server
/// HAProxy does not know is skipped (`missing`), as Ansible's `fail_on_not_found: false`.
enum HAProxyRuntimeScript {
  static let source = #"""
    import csv, json, socket, sys, time

    path, verb, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    targets = [tuple(t.split("/", 1)) for t in sys.argv[4:]]
    started = time.time()

    def ask(command):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(path)
            s.sendall(command.encode() + b"\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data.decode(errors="replace")
                data += chunk

    def servers():
        lines = ask("show stat").lstrip("# ").splitlines()
        return {(r["pxname"], r["svname"]): r for r in csv.DictReader(lines)}

    def report(**fields):
        fields.update(phase=verb, started=started, seconds=round(time.time() - started, 3))
        print(json.dumps(fields), flush=True)

    def name(target):
        return "%s/%s" % target

    def worker():
        for line in ask("show info").splitlines():
            if line.startswith("Pid:"):
                return line.split(":", 1)[1].strip()

    if verb == "reload":
        import subprocess
        try:
            before = worker()
        except OSError:
            before = None
        subprocess.run(["systemctl", "reload", "--", targets[0][0]], check=True)
        while before is not None:
            try:
                if worker() not in (before, None):
                    break
            except OSError:
                pass
            if time.time() >= started + timeout:
                sys.exit("HAProxy did not answer from a new worker %.0f s after the reload" % timeout)
            time.sleep(0.05)
        report(servers=[], reloaded=targets[0][0])
        sys.exit(0)

    try:
        known = servers()
    except OSError as error:
        report(servers=[], skipped="no HAProxy runtime socket at %s: %s" % (path, error))
        sys.exit(0)
    present = [t for t in targets if t in known]
    missing = [name(t) for t in targets if t not in known]
    up = lambda row: row["status"] in ("UP", "no check")

    if verb == "show":
        report(servers=[name(t) for t in present], missing=missing,
               status={name(t): known[t]["status"] for t in present})
    elif verb == "drain":
        for t in present:
            ask("set server %s state drain" % name(t))
        while time.time() < started + timeout:
            now = servers()
            if all(int(now[t]["scur"] or 0) + int(now[t]["qcur"] or 0) == 0 for t in present):
                break
            time.sleep(0.1)
        for t in present:
            ask("set server %s state maint" % name(t))
        report(servers=[name(t) for t in present], missing=missing)
    elif verb == "ready":
        for t in present:
            ask("set server %s state ready" % name(t))
        while True:
            now = servers()
            down = [t for t in present if not up(now[t])]
            if not down:
                report(servers=[name(t) for t in present], missing=missing)
                break
            if time.time() >= started + timeout:
                for t in down:
                    row = now[t]
                    print("%s is %s, not UP, %.0f s after it was enabled (last check: %s %s)"
                          % (name(t), row["status"], timeout, row.get("check_status", ""),
                             row.get("last_chk", "")), file=sys.stderr)
                sys.exit(1)
            time.sleep(0.2)
    else:
        sys.exit("unknown verb %s" % verb)
    """#
}
