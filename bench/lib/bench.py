#!/usr/bin/env python3
"""The benchmark driver behind bench/run: runner vs ansible-playbook vs pyinfra, the same
deployment (dci_api + haproxy) on the same booted test hosts, in one run.

bench/run installs the tools and boots the hosts, then calls `bench.py measure`. Everything it
measures is written to bench/results/raw.json, and the table to bench/results/results.md.
Throw-away files go to $BENCH_WORK (default /var/tmp/runner-bench).
"""

import argparse
import contextlib
import concurrent.futures
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402
import setup_files  # noqa: E402
import timeone  # noqa: E402

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
TESTHOST = REPO / "scripts/testhost/testhost"
PLAYBOOK = REPO / "playbooks/dci_api.json"
VENV = Path(os.environ.get("BENCH_VENV", BENCH / ".venv"))
WORK = Path(os.environ.get("BENCH_WORK", "/var/tmp/runner-bench"))
RUNNER = REPO / ".build/release/runner"
RUNNER_STATIC = REPO / ".build-static/release/runner"
# built with runner by every bench/run (the static build is the one made even with --only)
SIMULATED = REPO / ".build-static/release/simulated-hosts"
KEPT_ANSIBLE_CONTROL = WORK / "cp-ansible-kept"  # Ansible's masters in the kept-connection series
HOSTS = [f"bn{i}" for i in range(1, 11)]
TOOLS = ["runner", "ansible", "pyinfra"]
CHECK_CHANGE = ("gunicorn_timeout", 90)  # the one variable changed for the --check runs
# Changed on every downtime run (alternating), so each run rewrites the environment file and
# restarts the API: runner rolls, the peers restart every instance at once.
DOWNTIME_CHANGE = ("api_log_level", ("DEBUG", "INFO"))
IN_HOST = Path("/opt/bench")  # where the local case's files go inside the host
UNITS = ["quadlet-network.service", "haproxy.service", "dci-api-auth-tracking-image.service",
         "dci-api-auth-tracking.service"] + [f"dci-api@{i}.service" for i in range(4)]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parallel(function, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(items))) as pool:
        return list(pool.map(function, items))


def testhost(*args, stdin=None, check=True):
    process = subprocess.run([str(TESTHOST), *args], stdin=stdin, capture_output=True, text=True)
    if check and process.returncode != 0:
        raise RuntimeError(f"testhost {' '.join(args[:3])} failed: {process.stderr[-2000:]}")
    return process.stdout


def host_script(host, script, *args):
    return testhost("exec", host, "bash", "-c", (BENCH / "lib" / script).read_text(), script, *args)


def reset(hosts):
    parallel(lambda host: host_script(host, "host-reset.sh", "reset"), hosts)


def fingerprint(host):
    return host_script(host, "host-fingerprint.sh")


def start_times(host):
    """ActiveEnterTimestampMonotonic per unit: it changes exactly when a unit (re)starts."""
    out = testhost("exec", host, "systemctl", "show", "--property=Id,ActiveEnterTimestampMonotonic",
                   "--", *UNITS)
    times, unit = {}, None
    for line in out.splitlines():
        if line.startswith("Id="):
            unit = line[3:]
        elif line.startswith("ActiveEnterTimestampMonotonic="):
            times[unit] = line.split("=", 1)[1]
    return times


def cpu_jiffies():
    """Busy CPU time of the whole machine so far (jiffies): all but idle and iowait."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def short(text):
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# --- where the tools run -----------------------------------------------------------------------


class Target:
    """A set of hosts and how the tools reach them: over ssh from this machine, or with the
    local connection inside one host (the tools copied in)."""

    def __init__(self, name, hosts, local=False, tracking=True):
        self.name, self.hosts, self.local = name, hosts, local
        self.files = WORK / name
        flags = (["--local"] if local else []) + ([] if tracking else ["--no-tracking"])
        subprocess.run([sys.executable, str(BENCH / "lib/setup_files.py"), *flags,
                        str(self.files), str(REPO), *hosts], check=True)
        # paths as the tools see them
        if local:
            self.dir = IN_HOST / "work"
            self.repo = IN_HOST / "repo"
            self.runner = IN_HOST / "runner"
            self.ansible = IN_HOST / "bin/ansible-playbook"
            self.pyinfra = IN_HOST / "bin/pyinfra"
            self.time = IN_HOST / "time"
            self.ansible_home = IN_HOST / "ansible-home"
        else:
            self.dir = self.files
            self.repo = REPO
            self.runner = RUNNER_STATIC  # the build README recommends
            self.ansible = VENV / "bin/ansible-playbook"
            self.pyinfra = VENV / "bin/pyinfra"
            self.time = Path("/usr/bin/time")
            self.ansible_home = WORK / "ansible-home"

    def command(self, tool, check=False, fresh=False, extra_vars=None):
        """argv, environment additions and working directory of one run. `fresh`: runner closes
        its ssh master at the end of the run (control_persist 0) instead of keeping it.
        `extra_vars`: variables given on the command line (`-e`, pyinfra's `--data`)."""
        argv, env, cwd = self._command(tool, check, fresh)
        for key, value in (extra_vars or {}).items():
            if tool == "pyinfra":
                argv += ["--data", f"{key}={value}"]
            else:
                argv[-1:-1] = ["-e", json.dumps({key: value})]
        return argv, env, cwd

    def _command(self, tool, check, fresh):
        d, peers = self.dir, self.repo / "bench/peers"
        env = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        if tool == "runner":
            inventory = f"{d}/runner-inventory{'-fresh' if fresh else ''}.json"
            argv = [str(self.runner), "-i", inventory, "-e", f"@{d}/secrets.json",
                    "-f", "10", "-o", "json"]
            if check:
                argv += ["--check", "-e", json.dumps({CHECK_CHANGE[0]: CHECK_CHANGE[1]})]
            return argv + [str(self.repo / "playbooks/dci_api.json")], env, None
        if tool == "ansible":
            argv = [str(self.ansible), "-i", f"{d}/ansible-inventory.yml", "-e", f"@{d}/secrets.json",
                    "-e", f"bench_play_vars={d}/play_vars.json"]
            if check:
                argv += ["--check", "-e", json.dumps({CHECK_CHANGE[0]: CHECK_CHANGE[1]})]
            env.update(ANSIBLE_CONFIG=str(peers / "ansible/ansible.cfg"),
                       ANSIBLE_HOME=str(self.ansible_home), ANSIBLE_NOCOLOR="1")
            return argv + [str(peers / "ansible/site.yml")], env, None
        if tool == "pyinfra":
            # -y runs without the change-detection pass; --dry (check) needs that pass instead
            argv = [str(self.pyinfra), "--dry" if check else "-y", f"{d}/pyinfra_inventory.py",
                    "deploy.py", "--data", f"bench_secrets={d}/secrets.json",
                    "--data", f"bench_play_vars={d}/play_vars.json"]
            if check:
                argv += ["--data", f"{CHECK_CHANGE[0]}={CHECK_CHANGE[1]}"]
            return argv, env, str(peers / "pyinfra")
        raise ValueError(tool)

    def run(self, tool, check=False, fresh=False, extra_vars=None):
        """One timed run. Kept connections (fresh=False) are each tool's default: runner's and
        Ansible's ssh masters outlive a run (control_persist / ControlPersist), held up here
        for the whole series (setup_files.KEPT_SECONDS), so a rerun skips the handshake.
        pyinfra has no such thing and connects anew every run either way. fresh=True: every
        run of runner and Ansible pays its own ssh handshake too."""
        argv, extra, cwd = self.command(tool, check, fresh, extra_vars)
        control = None
        if tool == "ansible" and not self.local:
            if fresh:
                # a new ControlPath directory per run: no master of an earlier run to reuse
                control = Path(tempfile.mkdtemp(prefix="cp.", dir=WORK))
                extra["ANSIBLE_SSH_CONTROL_PATH_DIR"] = str(control)
            else:
                extra["ANSIBLE_SSH_CONTROL_PATH_DIR"] = str(KEPT_ANSIBLE_CONTROL)
                extra["ANSIBLE_SSH_ARGS"] = (f"-o ControlMaster=auto "
                                             f"-o ControlPersist={setup_files.KEPT_SECONDS}s")
        if self.local:
            cmd = ["exec", self.hosts[0], "env", "HOME=/root", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                   *[f"{k}={v}" for k, v in extra.items()], "python3",
                   str(IN_HOST / "repo/bench/lib/timeone.py"), "--time", str(self.time)]
            if cwd:
                cmd += ["--cwd", cwd]
            result = json.loads(testhost(*cmd, "--", *argv))
        else:
            before = cpu_jiffies()
            result = timeone.run(argv, str(self.time), cwd, {**os.environ, **extra})
            busy = cpu_jiffies() - before
            # every process of the machine: the tool, the hosts' work, and anyone else's
            result["machine_busy_cores"] = busy / os.sysconf("SC_CLK_TCK") / result["wall"]
        if control:
            for socket in control.iterdir():
                subprocess.run(["ssh", "-o", f"ControlPath={socket}", "-O", "exit", "x"],
                               capture_output=True)
            shutil.rmtree(control, ignore_errors=True)
        result.update(parse(tool, check, result))
        return result


def parse(tool, check, result):
    """changed (per host for runner and Ansible, total for pyinfra) and runner's round trips."""
    out = result["stdout"] + "\n" + result["stderr"]
    parsed = {"changed": None, "round_trips": None}
    if tool == "runner":
        try:
            stats = json.loads(result["stdout"])["stats"]
            parsed["changed"] = {h: s["changed"] for h, s in stats.items()}
            parsed["round_trips"] = {h: s["round_trips"] for h, s in stats.items()}
            parsed["failed"] = sum(s["failures"] + s["unreachable"] for s in stats.values())
        except (ValueError, KeyError):
            pass
    elif tool == "ansible":
        recap = re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                           out, re.M)
        if recap:
            parsed["changed"] = {h: int(c) for h, c, _, _ in recap}
            parsed["failed"] = sum(int(u) + int(f) for _, _, u, f in recap)
    elif tool == "pyinfra":
        if check:
            # the "Detected changes" table: Operation | Change | Conditional Change
            block = out.split("--> Detected changes:", 1)[-1].split("Detected changes may", 1)[0]
            total = 0
            for line in block.splitlines()[2:]:
                columns = re.split(r"\s{2,}", line.strip())
                if len(columns) >= 3 and columns[-2] != "-":
                    total += int(columns[-2].split()[0])
            parsed["changed"] = {"total": total}
        else:
            match = re.search(r"Grand total\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)", out)
            if match:
                number = lambda text: 0 if text == "-" else int(text)  # noqa: E731
                parsed["changed"] = {"total": number(match.group(2))}
                parsed["failed"] = number(match.group(3))
    return parsed


# --- measurement series ------------------------------------------------------------------------


def series(name, target, runs, warmup, check=False, before=None, after=None, fresh=False):
    """Runs every tool in alternation (runner, ansible, pyinfra, runner, …), `warmup` rounds
    first (kept in raw.json, left out of the figures). `before`/`after` (not timed) prepare a
    cold host and check what a run left."""
    records = []
    for iteration in range(warmup + runs):
        for tool in TOOLS:
            if before:
                before()
            result = target.run(tool, check, fresh)
            record = {
                "case": name, "tool": tool, "iteration": iteration, "warmup": iteration < warmup,
                "hosts": len(target.hosts), **{k: result[k] for k in
                ("wall", "rc", "maxrss_kb", "user", "sys", "changed", "round_trips")},
                "machine_busy_cores": result.get("machine_busy_cores"),
            }
            record["failed"] = result.get("failed")
            if result["rc"] != 0:
                record["error"] = (result["stdout"][-1500:] + result["stderr"][-1500:])
            if after:
                record.update(after(tool))
            records.append(record)
            log(f"{name} #{iteration}{' (warm-up)' if iteration < warmup else ''} {tool}: "
                f"{result['wall']:.2f} s rc={result['rc']} changed={short_changed(record['changed'])}"
                + (f" round_trips={record['round_trips']}" if record["round_trips"] else ""))
    return records


def short_changed(changed):
    if not changed:
        return changed
    values = set(changed.values())
    return values.pop() if len(values) == 1 else changed


def scale_series(targets, runs, warmup, fresh, suffix, records):
    """1, 3 and 10 hosts back to back for each tool, in alternation, round after round."""
    for iteration in range(warmup + runs):
        for tool in TOOLS:
            for key in ("ssh1", "ssh3", "ssh10"):
                target = targets[key]
                result = target.run(tool, fresh=fresh)
                case = f"scale-{len(target.hosts)}{suffix}"
                record = {"case": case, "tool": tool, "iteration": iteration,
                          "warmup": iteration < warmup, "hosts": len(target.hosts),
                          **{k: result[k] for k in ("wall", "rc", "maxrss_kb", "user", "sys", "changed",
                                                    "round_trips")}, "failed": result.get("failed"),
                          "machine_busy_cores": result.get("machine_busy_cores")}
                if result["rc"] != 0:
                    record["error"] = result["stdout"][-1500:] + result["stderr"][-1500:]
                records.append(record)
                log(f"{case} #{iteration} {tool}: {result['wall']:.2f} s "
                    f"rc={result['rc']} changed={short_changed(record['changed'])}")


def request_loop(url, stop, workers=8):
    """A bounded load on `url`: `workers` threads of requests (a new connection each, 2 s
    timeout), until `stop` is set or 600 s passed. Returns (time, ok) per request."""
    import threading
    import urllib.request
    seen, lock = [], threading.Lock()

    def worker():
        deadline = time.time() + 600
        while not stop.is_set() and time.time() < deadline:
            try:
                ok = urllib.request.urlopen(url, timeout=2).status == 200
            except Exception:
                ok = False
            with lock:
                seen.append((time.time(), ok))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    return seen, threads


def downtime(target, runs):
    """Failed requests through HAProxy while each tool applies an environment change (so the
    API restarts: runner one instance at a time, each out of HAProxy until healthy; the peer
    roles every instance at once, as the original role does). Each tool first converges the
    host with its own files (not counted)."""
    import threading
    address = testhost("ip", target.hosts[0]).strip()
    url = f"http://{address}:8080/api/v1/"
    results = {}
    for tool in TOOLS:
        converge = target.run(tool, extra_vars={DOWNTIME_CHANGE[0]: DOWNTIME_CHANGE[1][1]})
        if converge["rc"] != 0:
            log(f"  {tool}: could not converge: {converge['stderr'][-500:]}")
        rows = []
        for index in range(runs):
            value = DOWNTIME_CHANGE[1][index % 2]
            stop = threading.Event()
            seen, threads = request_loop(url, stop)
            while len(seen) < 100:
                time.sleep(0.05)
            result = target.run(tool, extra_vars={DOWNTIME_CHANGE[0]: value})
            while len(seen) < 2000 and time.time() - seen[0][0] < 600:
                time.sleep(0.05)
            stop.set()
            for thread in threads:
                thread.join()
            ok_times = [t for t, ok in sorted(seen) if ok]
            gap = max((b - a for a, b in zip(ok_times, ok_times[1:])), default=0.0)
            rows.append({"requests": len(seen), "failed": sum(1 for _, ok in seen if not ok),
                         "longest_gap_s": round(gap, 2), "wall": result["wall"], "rc": result["rc"]})
            log(f"  {tool}: {rows[-1]['failed']} of {rows[-1]['requests']} requests failed, "
                f"longest gap {gap:.1f} s, rc={result['rc']}")
        results[tool] = rows
    return results


def close_kept_masters():
    """Ends the ssh masters the kept-connection series left (runner's and Ansible's)."""
    for directory in (Path.home() / ".runner/cp", KEPT_ANSIBLE_CONTROL):
        for socket in directory.glob("*") if directory.is_dir() else []:
            subprocess.run(["ssh", "-o", f"ControlPath={socket}", "-O", "exit", "x"], capture_output=True)


# --- the local case: tools copied into the host ------------------------------------------------


def prepare_local(host, target):
    """Copies runner (the --static-swift-stdlib build), ansible-core and pyinfra (wheels for the
    host's Python), GNU time, the playbook, the peers and the inventories into the host."""
    python = testhost("exec", host, "python3", "-c",
                      "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')").strip()
    wheels = WORK / f"py{python.replace('.', '')}"
    versions = json.loads((WORK / "versions.json").read_text())
    if not (wheels / ".done").exists():
        log(f"installing ansible-core and pyinfra for the host's Python {python}")
        subprocess.run([str(VENV / "bin/pip"), "install", "-q", "--upgrade", "--target", str(wheels),
                        "--python-version", python, "--implementation", "cp",
                        "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux2014_x86_64",
                        "--platform", "manylinux_2_17_x86_64", "--only-binary=:all:",
                        f"ansible-core=={versions['ansible-core']}",
                        f"pyinfra=={versions['pyinfra']}"], check=True)
        (wheels / ".done").touch()
    stage = WORK / "local-stage"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "bin").mkdir(parents=True)
    (stage / "repo/playbooks").mkdir(parents=True)
    shutil.copy2(PLAYBOOK, stage / "repo/playbooks/")
    shutil.copytree(BENCH / "peers", stage / "repo/bench/peers", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(BENCH / "lib", stage / "repo/bench/lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(target.files, stage / "work")
    shutil.copy2("/usr/bin/time", stage / "time")
    shutil.copy2(RUNNER_STATIC, stage / "runner")
    shutil.copy2(RUNNER, stage / "runner-dynamic")
    for name, module in (("ansible-playbook", "ansible.cli.playbook"), ("pyinfra", "pyinfra_cli.main")):
        script = stage / "bin" / name
        script.write_text(f"#!/usr/bin/python3\nimport sys\nsys.path.insert(0, '{IN_HOST}/py')\n"
                          f"from {module} import main\nsys.exit(main())\n")
        script.chmod(0o755)
    testhost("exec", host, "rm", "-rf", str(IN_HOST / "repo"), str(IN_HOST / "work"))
    testhost("exec", host, "mkdir", "-p", str(IN_HOST / "py"))
    tar = subprocess.Popen(["tar", "-C", str(stage), "-c", "."], stdout=subprocess.PIPE)
    testhost("exec", host, "tar", "-C", str(IN_HOST), "-x", stdin=tar.stdout)
    tar.wait()
    # the host may be a new one since the last bench run: look inside it, not at a local marker
    copied = subprocess.run([str(TESTHOST), "exec", host, "test", "-d", str(IN_HOST / "py/ansible")],
                            capture_output=True).returncode == 0
    if not copied:
        tar = subprocess.Popen(["tar", "-C", str(wheels), "-c", "."], stdout=subprocess.PIPE)
        testhost("exec", host, "tar", "-C", str(IN_HOST / "py"), "-x", stdin=tar.stdout)
        tar.wait()
    checks = {}
    for name in ("runner", "runner-dynamic"):
        process = subprocess.run([str(TESTHOST), "exec", host, str(IN_HOST / name), "--version"],
                                 capture_output=True, text=True)
        checks[name] = {"rc": process.returncode, "output": (process.stdout + process.stderr).strip()[-300:]}
    checks["host_python"] = python
    checks["host_os"] = testhost("exec", host, "sh", "-c", ". /etc/os-release; echo $PRETTY_NAME").strip()
    return checks


# --- profiles: where the time goes -------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else None


def wall(argv, env=None, cwd=None):
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, capture_output=True)
    return time.perf_counter() - start


def ssh_argv(entry, *options):
    return ["ssh", "-o", "BatchMode=yes", "-o", "ControlMaster=no", "-o", "StrictHostKeyChecking=yes",
            "-o", f"UserKnownHostsFile={entry['known_hosts_file']}", "-i", entry["identity_file"],
            *options, f"{entry['user']}@{entry['address']}", "true"]


def sshd_sessions(host, action):
    """Runs `action`, then counts the ssh connections and the commands (session channels) sshd
    logged for it (LogLevel VERBOSE, set by bench/run)."""
    cursor = testhost("exec", host, "journalctl", "--show-cursor", "-n", "0", "-q").strip()
    cursor = cursor.split("cursor:", 1)[-1].strip()
    action()
    time.sleep(0.5)
    out = testhost("exec", host, "journalctl", "-q", "--no-pager", f"--after-cursor={cursor}",
                   "SYSLOG_IDENTIFIER=sshd-session", "SYSLOG_IDENTIFIER=sshd", check=False)
    return {"connections": len(re.findall(r"Accepted publickey", out)),
            "commands": len(re.findall(r"Starting session: command", out))}


def host_sshd_pids(host):
    """This machine's pids of the sshd processes inside the test host: descendants of its
    systemd-nspawn (`--machine=HOST`) whose name starts with sshd."""
    parents, names, nspawn = {}, {}, None
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        names[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
        parents[pid] = stat[stat.rindex(")") + 2:].split()[1]
        if cmdline[0].endswith(b"systemd-nspawn") and f"--machine={host}".encode() in cmdline:
            nspawn = pid

    def inside(pid):
        while pid in parents and pid != "1":
            if pid == nspawn:
                return True
            pid = parents[pid]
        return False
    return [pid for pid, name in names.items() if name.startswith("sshd") and inside(pid)]


def host_processes(host, action):
    """Runs `action` with strace (on this machine, outside the host) attached to every sshd
    process of the test host, and counts what the host spawned for it: processes (forks that
    are not threads: podman's threads are not counted) and the programs they exec'd. A kept
    ssh master's session process is one of those sshd processes, so a run over it counts too."""
    pids = host_sshd_pids(host)
    if not pids:
        return None
    trace = WORK / f"processes-{host}"
    shutil.rmtree(trace, ignore_errors=True)
    trace.mkdir(parents=True)
    # -ff: one file per process, so no call is split across lines by another process's
    tracer = subprocess.Popen(["strace", "-ff", "-qq", "-e", "trace=process", "-o", str(trace / "t"),
                               *[a for pid in pids for a in ("-p", pid)]],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # attached to every process before the run starts
    action()
    time.sleep(0.5)
    tracer.terminate()
    tracer.wait()
    forks, programs = 0, {}
    lines = [line for f in sorted(trace.iterdir()) for line in f.read_text().splitlines()]
    for line in lines:
        call = re.match(r"(\w+)\((.*)\) += (-?\d+)", line)
        if not call:
            continue
        name, arguments, value = call.group(1), call.group(2), int(call.group(3))
        if name in ("fork", "vfork") and value > 0:
            forks += 1
        elif name in ("clone", "clone3") and value > 0 and "CLONE_THREAD" not in arguments:
            forks += 1
        elif name == "execve" and value == 0:
            program = re.match(r'"([^"]*)"', arguments)
            base = os.path.basename(program.group(1)) if program else "?"
            programs[base] = programs.get(base, 0) + 1
    return {"processes": forks, "programs": dict(sorted(programs.items(), key=lambda p: -p[1]))}


def self_idempotent(target, runs=5):
    """Each tool's unchanged rerun right after its own run, tool by tool: over its kept
    connection, `--check` after one change, and over a fresh connection. A stopgap while the
    peer roles do not write runner's files byte for byte (they predate the real image's
    unit): in the alternating series each tool would redo the others' work."""
    result = {}
    for tool in TOOLS:
        target.run(tool)
        target.run(tool)  # warm: its own files in place, its master up
        cases = {
            "kept": [target.run(tool) for _ in range(runs)],
            "check": [target.run(tool, check=True) for _ in range(runs)],
            "fresh": [target.run(tool, fresh=True) for _ in range(runs)],
        }
        result[tool] = {}
        for case, rows in cases.items():
            walls = [r["wall"] for r in rows]
            result[tool][case] = {"median": median(walls), "min": min(walls), "max": max(walls),
                                  "changed": [r["changed"] for r in rows]}
        log(f"  {tool}: {result[tool]}")
    for tool in ("ansible", "pyinfra"):
        for case in ("kept", "check", "fresh"):
            result[f"{tool}_over_runner_{case}"] = (
                result[tool][case]["median"] / result["runner"][case]["median"])
    result["floor"] = ssh_floor(target, runs)
    log(f"  floor: {result['floor']}")
    for tool in ("ansible", "pyinfra"):
        for case in ("kept", "fresh"):
            result[f"{tool}_over_floor_{case}"] = (
                result[tool][case]["median"] / result["floor"][case]["median"])
    return result


@contextlib.contextmanager
def kept_master(entry):
    """An ssh master to the host of inventory `entry`, up for the block: yields the `ssh` argv
    (without a command) that runs over it; the master exits and its socket goes at the end."""
    control = Path(tempfile.mkdtemp(prefix="cm.", dir="/tmp")) / "s"
    base = ["ssh", "-o", "BatchMode=yes", "-o", f"ControlPath={control}", "-o", "StrictHostKeyChecking=yes",
            "-o", f"UserKnownHostsFile={entry['known_hosts_file']}", "-i", entry["identity_file"],
            f"{entry['user']}@{entry['address']}"]
    subprocess.run(base[:1] + ["-o", "ControlMaster=yes", "-o", "ControlPersist=60", "-f", "-N"] + base[1:],
                   capture_output=True)
    try:
        yield base
    finally:
        subprocess.run(base[:1] + ["-O", "exit"] + base[1:], capture_output=True)
        shutil.rmtree(control.parent, ignore_errors=True)


def ssh_floor(target, runs):
    """The least one run over ssh with become can cost, whatever the tool: `sudo -n true` on the
    host, over a fresh connection and over a kept master. No ratio to runner can exceed the
    other tool's time over this floor; runner's own share is its time minus the floor."""
    entry = json.loads((target.files / "runner-inventory.json").read_text())["hosts"][target.hosts[0]]
    become = ["sudo", "-n", "true"]
    fresh = ssh_argv(entry)[:-1] + become
    with kept_master(entry) as over:
        result = {}
        for case, argv in (("fresh", fresh), ("kept", over + become)):
            walls = [wall(argv) for _ in range(runs)]
            result[case] = {"median": median(walls), "min": min(walls), "max": max(walls)}
    return result


def processes_per_run(targets):
    """Processes each tool's unchanged run spawns on the host (runner: kept and fresh ssh
    connections; the peers with their defaults)."""
    one = targets["ssh1"]
    result = {}
    for tool, fresh in (("runner", False), ("runner", True), ("ansible", False), ("pyinfra", False)):
        one.run(tool, fresh=fresh)  # warm: the kept master exists, caches are as in a series
        label = f"{tool}{'-fresh' if fresh else ''}"
        result[label] = host_processes("bn1", lambda: one.run(tool, fresh=fresh))
        log(f"  {label}: {result[label]}")
    return result


def simulated(target, counts=(10, 100, 1000), delay_ms=5, runs=3):
    """runner's engine against in-process hosts that answer from memory after `delay_ms` per
    round trip (bench/simulated-hosts): bn1's unchanged run recorded once, then replayed by
    10, 100 and 1,000 clones, all at once (forks = hosts). Wall time, CPU (user + system) and
    peak memory of the controller alone: nothing else runs, no host does any work."""
    d = target.files
    playbook = str(REPO / "playbooks/dci_api.json")
    inventory = f"{d}/runner-inventory.json"
    recording = WORK / "simulated-recording.json"
    recorded = subprocess.run([str(SIMULATED), "record", playbook, inventory, "bn1", str(recording),
                               "-e", f"@{d}/secrets.json"], capture_output=True, text=True)
    if recorded.returncode != 0:
        raise SystemExit("bench: recording bn1 failed:\n" + recorded.stdout[-2000:] + recorded.stderr[-2000:])
    result = {"delay_ms": delay_ms, "runs": runs, "hosts": {}}
    for count in counts:
        samples = []
        for _ in range(runs):
            run = timeone.run([str(SIMULATED), "run", playbook, inventory, "bn1", str(recording),
                               str(count), str(delay_ms), "-e", f"@{d}/secrets.json"])
            unchanged = len(re.findall(r"^sim\d+ +: ok=\d+ +changed=0 +unreachable=0 +failed=0",
                                       run["stdout"], re.M))
            if run["rc"] != 0 or unchanged != count:
                raise SystemExit(f"bench: {count} simulated hosts: rc {run['rc']}, {unchanged} unchanged:\n"
                                 + run["stdout"][-2000:] + run["stderr"][-2000:])
            samples.append({"wall": run["wall"], "cpu": run["user"] + run["sys"],
                            "maxrss_mb": run["maxrss_kb"] / 1024})
        result["hosts"][str(count)] = {key: median([s[key] for s in samples]) for key in samples[0]}
        log(f"  {count} simulated hosts: {result['hosts'][str(count)]}")
    return result


def profile(targets):
    one, ten = targets["ssh1"], targets["ssh10"]
    entries = {h: e for h, e in json.loads((ten.files / "runner-inventory.json").read_text())["hosts"].items()}
    result = {}
    log("profile: ssh connection setup")
    first = entries["bn1"]
    for label, options in (("default_kex", []), ("curve25519", ["-o", "KexAlgorithms=curve25519-sha256"])):
        times = [wall(ssh_argv(first, *options)) for _ in range(7)]
        result[f"ssh_true_{label}_s"] = {"median": median(times), "min": min(times), "max": max(times)}
    times = []
    for _ in range(3):
        start = time.perf_counter()
        parallel(lambda h: subprocess.run(ssh_argv(entries[h]), capture_output=True), HOSTS)
        times.append(time.perf_counter() - start)
    result["ssh_true_10_hosts_parallel_s"] = {"median": median(times), "min": min(times), "max": max(times)}

    log("profile: runner")
    # fresh connections, so that the strace timelines show the ssh handshake as a phase
    argv, extra, _ = one.command("runner", fresh=True)
    env = {**os.environ, **extra}
    syntax = [a for a in argv if a not in ("-o", "json", "-f", "10")]
    syntax.insert(1, "--syntax-check")
    result["runner_syntax_check_s"] = median([wall(syntax, env) for _ in range(5)])
    trace = WORK / "runner.strace"
    subprocess.run(["strace", "-f", "-tt", "-e", "trace=execve,exit_group", "-o", str(trace), *argv],
                   env=env, capture_output=True)
    result["runner_phases_ms"] = runner_phases(trace.read_text())
    counted = subprocess.run(["strace", "-f", "-c", "-o", str(WORK / "runner.strace-c"), *argv],
                             env=env, capture_output=True)
    result["runner_strace_c"] = (WORK / "runner.strace-c").read_text()[:1500] if counted.returncode == 0 else None
    result["runner_remote_probe_batch_ms"] = remote_probe_batch(one, env)
    result["runner_round_trip_over_existing_master_ms"] = over_master(one, env)
    argv10, extra10, _ = ten.command("runner", fresh=True)
    subprocess.run(["strace", "-f", "-tt", "-e", "trace=execve,exit_group", "-o", str(trace), *argv10],
                   env={**os.environ, **extra10}, capture_output=True)
    result["runner_10_hosts_timeline_ms"] = timeline(trace.read_text())
    local = targets["local1"]
    argv, _, _ = local.command("runner")
    check = [a for a in argv if a not in ("-o", "json", "-f", "10")]
    check.insert(1, "--syntax-check")
    script = 'for i in 1 2 3 4 5; do s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done'
    result["runner_in_host_syntax_check_ms"] = median(
        [int(x) / 1000 for x in testhost("exec", "bn1", "bash", "-c", script, "t", *check).split()])

    log("profile: commands and connections per run, from sshd's log")
    for tool in TOOLS:
        result[f"{tool}_sshd_per_idempotent_run"] = sshd_sessions(
            "bn1", lambda: one.run(tool, fresh=True))

    log("profile: ansible-playbook and pyinfra fixed costs")
    argv, extra, _ = one.command("ansible")
    env = {**os.environ, **extra}
    result["ansible_syntax_check_s"] = median([wall(argv[:1] + ["--syntax-check"] + argv[1:], env)
                                               for _ in range(3)])
    adhoc = [str(VENV / "bin/ansible"), "-i", argv[2], "bn1", "-m", "ansible.builtin.ping"]
    times = []
    for _ in range(3):
        control = tempfile.mkdtemp(prefix="cp.", dir=WORK)
        times.append(wall(adhoc, {**env, "ANSIBLE_SSH_CONTROL_PATH_DIR": control}))
        for socket in Path(control).iterdir():
            subprocess.run(["ssh", "-o", f"ControlPath={socket}", "-O", "exit", "x"], capture_output=True)
        shutil.rmtree(control, ignore_errors=True)
    result["ansible_adhoc_ping_s"] = median(times)
    argv, extra, cwd = one.command("pyinfra")
    env = {**os.environ, **extra}
    result["pyinfra_exec_true_s"] = median([
        wall([argv[0], "-y", argv[2], "exec", "--", "true"], env, cwd) for _ in range(3)])
    result["python_import_s"] = {
        "ansible": median([wall([str(VENV / "bin/python3"), "-c", "import ansible.cli.playbook"]) for _ in range(3)]),
        "pyinfra": median([wall([str(VENV / "bin/python3"), "-c", "import pyinfra_cli.main"]) for _ in range(3)]),
    }
    return result


def runner_phases(trace):
    """From `strace -f -tt -e execve,exit_group`: runner's start to its first ssh, the ssh run
    (handshake, then the probe batch), `ssh -O exit`, and the end."""
    stamps = []
    for line in trace.splitlines():
        match = re.match(r"(\d+) (\d+):(\d+):([\d.]+) (.*)", line)
        if match:
            pid, h, m, s, rest = match.groups()
            stamps.append((int(pid), int(h) * 3600 + int(m) * 60 + float(s), rest))
    if not stamps:
        return None
    start, end = stamps[0][1], stamps[-1][1]
    ssh = [(pid, t) for pid, t, rest in stamps if rest.startswith('execve("/usr/bin/ssh", ["ssh", "-T"')]
    exits = [t for _, t, rest in stamps if rest.startswith('execve("/usr/bin/ssh", ["ssh", "-O"')]
    phases = {"total": (end - start) * 1000}
    if ssh:
        first_pid, first = ssh[0]
        phases["start_to_first_ssh"] = (first - start) * 1000
        ended = [t for pid, t, rest in stamps if pid == first_pid and rest.startswith("exit_group")]
        forks = [t for pid, t, rest in stamps if rest.startswith("exit_group") and first < t
                 and (not ended or t < ended[0]) and pid != first_pid]
        if ended:
            phases["first_ssh_run"] = (ended[0] - first) * 1000
        if forks:  # the control master forks to the background once authenticated
            phases["ssh_handshake_until_master_forks"] = (forks[0] - first) * 1000
            if ended:
                phases["remote_after_handshake"] = (ended[0] - forks[0]) * 1000
        phases["ssh_runs"] = len(ssh)
    if exits:
        phases["ssh_exit_to_end"] = (end - exits[0]) * 1000
    return phases


def runner_remote_command(one, env):
    """The remote command of runner's idempotent run (its one probe batch), from strace; the
    other round trip, the host's run lock, is skipped."""
    import ast
    argv, _, _ = one.command("runner")
    trace = WORK / "runner-argv.strace"
    subprocess.run(["strace", "-f", "-s", "1000000", "-e", "trace=execve", "-o", str(trace), *argv],
                   env=env, capture_output=True)
    for line in trace.read_text().splitlines():
        if 'execve("/usr/bin/ssh", ["ssh", "-T"' in line:
            match = re.search(r'"--", "[^"]*", (".*")\], 0x', line)
            if match and "runner-probes" in ast.literal_eval(match.group(1)):
                return ast.literal_eval(match.group(1))
    return None


def probes_of(command):
    """The probes of a batch: ("f", path) or ("c", argv); the command is
    `sudo -n -- sh -c SCRIPT sh BOUNDARY CONCURRENCY` followed by `f PATH` / `c STDIN COUNT ARGV…`."""
    words = shlex.split(command)
    index, probes = words.index("-c") + 5, []
    while index < len(words):
        if words[index] == "f":
            probes.append(("f", words[index + 1]))
            index += 2
        else:
            count = int(words[index + 2])
            probes.append(("c", words[index + 3:index + 3 + count]))
            index += 3 + count
    return probes


def probe_label(probe):
    kind, value = probe
    if kind == "f":
        return f"read {value}"
    argv = value
    if argv[:2] == ["sh", "-c"]:  # runner's env/cwd wrapper: sh -c W sh DIR N VAR=… ARGV
        argv = argv[6 + int(argv[5]):]
    return " ".join(argv)[:90]


def remote_probe_batch(one, env):
    """runner's one round trip, taken apart inside the host (no ssh): the whole batch as runner
    sends it; each probe on its own; all probes at once (what a concurrent batch could reach)."""
    command = runner_remote_command(one, env)
    if not command:
        return None
    probes = probes_of(command)
    script = ('for i in 1 2 3 4 5; do s=$(date +%s%N); eval "$1" >/dev/null; e=$(date +%s%N); '
              'echo $(( (e - s) / 1000 )); done')
    times = [int(x) / 1000 for x in testhost("exec", "bn1", "bash", "-c", script, "replay", command).split()]
    lines = ['t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 </dev/null; e=$(date +%s%N); '
             'echo "$1 $(( (e - s) / 1000 ))"; }', "for round in 1 2 3; do", "t true"]
    calls = []
    for kind, value in probes:
        calls.append(" ".join(shlex.quote(a) for a in (["base64", value] if kind == "f" else value)))
    lines += [f"t {call}" for call in calls]
    lines += ["s=$(date +%s%N)"] + [f"( {call} >/dev/null 2>&1 </dev/null ) &" for call in calls]
    lines += ["wait", "e=$(date +%s%N)", 'echo "concurrent $(( (e - s) / 1000 ))"', "done"]
    out = testhost("exec", "bn1", "bash", "-c", "\n".join(lines)).split("\n")
    per_probe = [[] for _ in probes]
    baseline, concurrent, position = [], [], 0
    for line in out:
        if not line.strip():
            continue
        label, micros = line.rsplit(" ", 1)
        if label == "true":
            baseline.append(int(micros) / 1000)
            position = 0
        elif label == "concurrent":
            concurrent.append(int(micros) / 1000)
        else:
            per_probe[position].append(int(micros) / 1000)
            position += 1
    each = [{"probe": probe_label(p), "ms": median(t)} for p, t in zip(probes, per_probe)]
    return {"median": median(times), "min": min(times), "max": max(times),
            "files": sum(1 for p in probes if p[0] == "f"),
            "commands": sum(1 for p in probes if p[0] == "c"), "command_bytes": len(command),
            "each_probe_ms": each, "sum_of_probes_ms": sum(e["ms"] for e in each),
            "timer_overhead_ms": median(baseline), "all_probes_concurrently_ms": median(concurrent)}


def over_master(one, env):
    """What runner's round trip costs when the ssh connection already exists (a master kept
    from an earlier run, as Ansible's ControlPersist does): `true`, and runner's real batch."""
    entry = json.loads((one.files / "runner-inventory.json").read_text())["hosts"]["bn1"]
    with kept_master(entry) as base:
        command = runner_remote_command(one, env)
        result = {"true_ms": median([wall(base + ["true"]) * 1000 for _ in range(7)])}
        if command:
            result["runner_batch_ms"] = median([wall(base + [command]) * 1000 for _ in range(7)])
    return result


def timeline(trace):
    """From `strace -f -tt -e execve,exit_group` of a runner run: when the ssh runs started and
    ended, relative to runner's start (ms)."""
    stamps = []
    for line in trace.splitlines():
        match = re.match(r"(\d+) (\d+):(\d+):([\d.]+) (.*)", line)
        if match:
            pid, h, m, sec, rest = match.groups()
            stamps.append((int(pid), int(h) * 3600 + int(m) * 60 + float(sec), rest))
    if not stamps:
        return None
    start, end = stamps[0][1], stamps[-1][1]
    starts = {pid: t for pid, t, rest in stamps if rest.startswith('execve("/usr/bin/ssh", ["ssh", "-T"')}
    ends = [t for pid, t, rest in stamps if pid in starts and rest.startswith("exit_group")]
    ms = lambda t: round((t - start) * 1000)  # noqa: E731
    exits = [t for _, t, rest in stamps if rest.startswith('execve("/usr/bin/ssh", ["ssh", "-O"')]
    return {"exit_runs": len(exits), "first_exit_start": ms(min(exits)) if exits else None,
            "last_exit_start": ms(max(exits)) if exits else None,
            "ssh_runs": len(starts), "first_ssh_start": ms(min(starts.values())) if starts else None,
            "last_ssh_start": ms(max(starts.values())) if starts else None,
            "first_ssh_end": ms(min(ends)) if ends else None, "last_ssh_end": ms(max(ends)) if ends else None,
            "end": ms(end)}


# --- main --------------------------------------------------------------------------------------


def versions():
    def out(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return None
    pip = json.loads(out([str(VENV / "bin/pip"), "list", "--format", "json"]) or "[]")
    found = {p["name"].lower(): p["version"] for p in pip}
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {
        "ansible-core": found.get("ansible-core"), "pyinfra": found.get("pyinfra"),
        "python": out([str(VENV / "bin/python3"), "--version"]),
        "runner": out([str(RUNNER), "--version"]),
        "runner_commit": out(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "swift": out(["swift", "--version"]).splitlines()[0] if shutil.which("swift") else None,
        "openssh": subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip(),
        "machine": {"cpu": cpu, "cores": os.cpu_count(), "memory": memory,
                    "kernel": platform.release(),
                    "os": next((line.split("=", 1)[1].strip('"') for line in
                                Path("/etc/os-release").read_text().splitlines()
                                if line.startswith("PRETTY_NAME")), None)},
    }


def loadavg():
    return Path("/proc/loadavg").read_text().split()[:3]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs: a fast pass")
    parser.add_argument("--runs", type=int, help="timed runs per series (after the warm-up)")
    parser.add_argument("--out", default=str(BENCH / "results"))
    parser.add_argument("--only", choices=["downtime", "processes", "simulated", "idempotent"],
                        help="one measurement alone, printed as JSON (results.md is left as it is)")
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 5)
    scale_runs = args.runs or (1 if args.quick else 3)
    cold_runs = args.runs or (2 if args.quick else 3)
    warmup = 1
    WORK.mkdir(parents=True, exist_ok=True)
    raw = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "quick": args.quick, "versions": versions(), "loadavg_start": loadavg(),
           "check_change": {CHECK_CHANGE[0]: CHECK_CHANGE[1]}, "records": [], "checks": {}}
    (WORK / "versions.json").write_text(json.dumps(raw["versions"]))
    started = time.perf_counter()

    targets = {} if args.only else {
        "ssh1": Target("ssh1", HOSTS[:1]),
        "ssh3": Target("ssh3", HOSTS[:3]),
        "ssh10": Target("ssh10", HOSTS),
        "ssh2-off": Target("ssh2-off", HOSTS[1:2], tracking=False),
        "local1": Target("local1", HOSTS[:1], local=True),
    }
    if args.only:
        targets = {"ssh1": Target("ssh1", HOSTS[:1])}
    checks = raw["checks"]
    if args.only == "downtime":
        print(json.dumps(downtime(targets["ssh1"], 1 if args.quick else 3), indent=1))
        return
    if args.only == "idempotent":
        print(json.dumps(self_idempotent(targets["ssh1"], runs=args.runs or 5), indent=1))
        return
    if args.only == "simulated":
        deployed = targets["ssh1"].run("runner")
        if deployed["rc"] != 0:
            raise SystemExit("bench: runner could not deploy bn1:\n" + deployed["stdout"][-3000:])
        print(json.dumps(simulated(targets["ssh1"]), indent=1))
        return
    if args.only == "processes":
        deployed = targets["ssh1"].run("runner")
        if deployed["rc"] != 0:
            raise SystemExit("bench: runner could not deploy bn1:\n" + deployed["stdout"][-3000:])
        print(json.dumps(processes_per_run(targets), indent=1))
        return

    # 1. Equivalence, auth tracking off (bn2 alone): each tool deploys the fresh host; every
    #    managed file (sha256, mode, owner), unit and container must come out the same.
    log("equivalence on bn2 (auth tracking off): reset, deploy with each tool, fingerprint")
    prints = {}
    reset(["bn2"])
    prints["fresh"] = fingerprint("bn2")
    for tool in TOOLS:
        reset(["bn2"])
        if fingerprint("bn2") != prints["fresh"]:
            raise SystemExit("bench: reset did not bring bn2 back to its fresh state")
        result = targets["ssh2-off"].run(tool, fresh=True)
        prints[tool] = fingerprint("bn2")
        log(f"  {tool}: {result['wall']:.1f} s rc={result['rc']} fingerprint {short(prints[tool])}")
        if result["rc"] != 0:
            raise SystemExit(f"bench: {tool} failed on bn2:\n{result['stdout'][-3000:]}{result['stderr'][-3000:]}")
    checks["tracking_off_bn2"] = {"fingerprints": {k: short(v) for k, v in prints.items()},
                                  "identical": len({prints[t] for t in TOOLS}) == 1,
                                  "reference": prints["runner"]}

    # 2. Cold first deploy on bn1 (auth tracking on): reset before each run, fingerprint after.
    reset(["bn1"])
    fresh = fingerprint("bn1")
    cold_prints = {}

    def after_cold(tool):
        text = fingerprint("bn1")
        cold_prints.setdefault(tool, set()).add(text)
        return {"fingerprint": short(text)}

    log("cold first deploy, 1 host")
    raw["records"] += series("ssh-cold-1", targets["ssh1"], cold_runs, warmup,
                             before=lambda: reset(["bn1"]), after=after_cold, fresh=True)
    all_prints = set().union(*cold_prints.values())
    checks["tracking_on_bn1"] = {"fresh": short(fresh),
                                 "fingerprints": {t: sorted(short(p) for p in ps) for t, ps in cold_prints.items()},
                                 "identical": len(all_prints) == 1,
                                 "reference": sorted(all_prints)[0] if all_prints else None}

    # make sure every host is deployed (bn2 … bn10 by runner, as a 10-host cold deploy)
    log("deploying bn1 … bn10 with runner (not timed)")
    result = targets["ssh10"].run("runner")
    if result["rc"] != 0:
        raise SystemExit("bench: runner could not deploy the 10 hosts:\n" + result["stdout"][-3000:])
    ten_prints = parallel(fingerprint, HOSTS)

    # 3. Idempotent and check runs, 1 host, over kept connections (each tool's default) and
    #    over fresh ones; no unit may (re)start in any of them.
    times_before = start_times("bn1")
    for fresh, suffix in ((False, ""), (True, "-fresh")):
        connections = "fresh" if fresh else "kept"
        log(f"idempotent, 1 host, {connections} connections")
        raw["records"] += series(f"ssh-idem-1{suffix}", targets["ssh1"], runs, warmup, fresh=fresh)
        log(f"--check after changing {CHECK_CHANGE[0]}, 1 host, {connections} connections")
        raw["records"] += series(f"ssh-check-1{suffix}", targets["ssh1"], runs, warmup, check=True,
                                 fresh=fresh)
    checks["no_unit_restarted_in_idempotent_and_check_runs"] = start_times("bn1") == times_before
    checks["check_runs_changed_nothing"] = fingerprint("bn1") == ten_prints[0]

    # 4. Scaling: 1, 3 and 10 hosts, idempotent, in alternation; kept, then fresh connections.
    for fresh, suffix in ((False, ""), (True, "-fresh")):
        log(f"idempotent, 1 / 3 / 10 hosts, {'fresh' if fresh else 'kept'} connections")
        scale_series(targets, scale_runs, warmup, fresh, suffix, raw["records"])
    checks["ten_hosts_unchanged_by_idempotent_runs"] = parallel(fingerprint, HOSTS) == ten_prints


    # 5. Local: the tools inside bn1, connection local.
    log("local: copying the tools into bn1")
    checks["local"] = prepare_local("bn1", targets["local1"])
    log(f"  runner in the host: {checks['local']['runner']}; dynamic build: "
        f"{checks['local']['runner-dynamic']['output'][:120]}")
    raw["records"] += series("local-idem-1", targets["local1"], runs, warmup)
    checks["local_runs_changed_nothing"] = fingerprint("bn1") == ten_prints[0]

    # 6. Where the time goes; what each tool spawns on the host.
    raw["profile"] = profile(targets)
    log("processes spawned on the host by an unchanged run")
    raw["host_processes"] = processes_per_run(targets)
    log("simulated hosts: 10, 100, 1,000")
    raw["simulated"] = simulated(targets["ssh1"], runs=1 if args.quick else 3)

    # 7. Failed requests while each tool restarts the API (an environment change), 1 host;
    #    last, since the peers leave bn1 with their own files.
    log("downtime: requests through HAProxy while each tool restarts the API, 1 host")
    raw["downtime"] = downtime(targets["ssh1"], 1 if args.quick else 3)
    close_kept_masters()

    raw["loadavg_end"] = loadavg()
    raw["duration_s"] = time.perf_counter() - started
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "raw.json").write_text(json.dumps(raw, indent=1, sort_keys=True) + "\n")
    (out / "results.md").write_text(report.render(raw))
    log(f"done in {raw['duration_s'] / 60:.1f} min: {out / 'results.md'}")


if __name__ == "__main__":
    main()
