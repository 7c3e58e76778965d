"""Renders bench/results/results.md from raw.json (`python3 report.py raw.json > results.md`)."""

import json
import statistics
import sys

TOOLS = ["runner", "ansible", "pyinfra"]
NAMES = {"runner": "runner", "ansible": "ansible-playbook", "pyinfra": "pyinfra"}
CASES = [
    ("ssh-cold-1", "ssh, 1 host: cold first deploy (fresh connection)"),
    ("ssh-idem-1", "ssh, 1 host: idempotent rerun, kept connection"),
    ("ssh-check-1", "ssh, 1 host: `--check` after 1 variable change, kept connection"),
    ("ssh-idem-1-fresh", "ssh, 1 host: idempotent rerun, fresh connection"),
    ("ssh-check-1-fresh", "ssh, 1 host: `--check` after 1 variable change, fresh connection"),
    ("scale-1", "ssh, 1 host: idempotent (host series), kept"),
    ("scale-3", "ssh, 3 hosts: idempotent, kept"),
    ("scale-10", "ssh, 10 hosts: idempotent, kept"),
    ("scale-1-fresh", "ssh, 1 host: idempotent (host series), fresh"),
    ("scale-3-fresh", "ssh, 3 hosts: idempotent, fresh"),
    ("scale-10-fresh", "ssh, 10 hosts: idempotent, fresh"),
    ("local-idem-1", "local, inside the host: idempotent"),
]
# Connections: "kept" is each tool's default — runner's and Ansible's ssh masters outlive a run
# (control_persist / ControlPersist, both 60 s by default; held up for the whole series here),
# so a rerun skips the handshake; pyinfra has no such thing and connects anew every run.
# "fresh": runner and Ansible pay a new handshake on every run too.
SERIES = (("", "kept connections (each tool's default)"), ("-fresh", "fresh connections"))


def good(records, case, tool):
    return [r for r in records if r["case"] == case and r["tool"] == tool and not r["warmup"]
            and r["rc"] == 0]


def spread(values, digits=2, unit=""):
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.{digits}f}{unit}"
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def ratios(records, case, tool, base="runner", base_case=None):
    """other/base per iteration: the runs of one iteration were made one right after the other."""
    base_case = base_case or case
    by_iteration = {r["iteration"]: r["wall"] for r in good(records, base_case, base)}
    return [r["wall"] / by_iteration[r["iteration"]] for r in good(records, case, tool)
            if r["iteration"] in by_iteration and by_iteration[r["iteration"]] > 0]


def ratio_text(values):
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.1f}×"
    return f"**{med:.1f}×** ({min(values):.1f}–{max(values):.1f})"


def trips(records, case):
    values = sorted({n for r in good(records, case, "runner") for n in (r["round_trips"] or {}).values()})
    if not values:
        return "–"
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"


def changed(records, case, tool):
    values = set()
    for r in good(records, case, tool):
        c = r.get("changed") or {}
        values.add(sum(c.values()) if c else None)
    values.discard(None)
    if not values:
        return "?"
    return "/".join(str(v) for v in sorted(values))


def mib(records, case, tool):
    values = [r["maxrss_kb"] / 1024 for r in good(records, case, tool) if r.get("maxrss_kb")]
    return f"{statistics.median(values):.0f}" if values else "–"


def cpu(records, case, tool):
    values = [(r["user"] or 0) + (r["sys"] or 0) for r in good(records, case, tool)]
    return f"{statistics.median(values):.2f}" if values else "–"


def render(raw):
    records = raw["records"]
    v = raw["versions"]
    m = v["machine"]
    counts = {case: len(good(records, case, "runner")) for case, _ in CASES}
    counts.update({case: 0 for case, _ in CASES if case not in counts})
    lines = [
        "# runner vs ansible-playbook vs pyinfra",
        "",
        f"Measured {raw['started']} by `bench/run{' --quick' if raw.get('quick') else ''}` "
        f"({raw['duration_s'] / 60:.0f} min). Machine: {m['cpu']}, {m['cores']} cores, "
        f"{int(m['memory'].split()[0]) / 1024 / 1024:.0f} GiB memory, {m['os']}, kernel {m['kernel']}; load average {' '.join(raw['loadavg_start'])} at "
        f"the start, {' '.join(raw['loadavg_end'])} at the end (other work shared the machine). "
        f"The test hosts are systemd-nspawn containers on the same 2 cores.",
        "",
        f"Versions: {v['runner']} ({v['runner_commit']}, {v['swift']}), ansible-core {v['ansible-core']}, "
        f"pyinfra {v['pyinfra']} ({v['python']}), {v['openssh']}.",
        "",
        "Wall time in seconds: median (min–max) of the timed runs, after one warm-up round. The "
        "tools ran in alternation (runner, ansible-playbook, pyinfra, runner, …); a ratio is "
        "tool ÷ runner within one round, then the median (min–max) over the rounds. Only the "
        "ratios carry over to another machine.",
        "",
        "Connections: *kept* is each tool's default. runner's and Ansible's ssh masters outlive "
        "a run (`control_persist` / `ControlPersist`, 60 s by default for both; held up for the "
        "whole series here), so a rerun skips the ssh handshake; pyinfra has no such thing and "
        "connects anew on every run. *Fresh*: every run of runner and Ansible pays for its own "
        "handshake too.",
        "",
        "| case | runs | runner | ansible-playbook | pyinfra | ansible ÷ runner | pyinfra ÷ runner "
        "| runner round trips / host |",
        "| --- | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for case, title in CASES:
        if not counts[case]:
            continue
        lines.append(
            f"| {title} | {counts[case]} | "
            + " | ".join(spread([r["wall"] for r in good(records, case, t)]) for t in TOOLS)
            + f" | {ratio_text(ratios(records, case, 'ansible'))} | "
            f"{ratio_text(ratios(records, case, 'pyinfra'))} | {trips(records, case)} |")
    failures = [r for r in records if r["rc"] != 0]
    if failures:
        lines += ["", f"**{len(failures)} run(s) failed** and are left out: "
                  + ", ".join(f"{r['case']} #{r['iteration']} {r['tool']} (rc {r['rc']})" for r in failures)]

    lines += ["", "## Time against the number of hosts (idempotent, 10 forks / parallel)", "",
              "Each round ran 1, 3 and 10 hosts back to back for each tool; the ratio is N hosts ÷ "
              "1 host within a round."]
    for suffix, title in SERIES:
        if not counts.get(f"scale-1{suffix}"):
            continue
        lines += ["", f"{title[0].upper() + title[1:]}:", "",
                  "| tool | 1 host | 3 hosts | 10 hosts | 3 ÷ 1 | 10 ÷ 1 | busy cores (1 / 3 / 10) |",
                  "| --- | --: | --: | --: | --: | --: | --: |"]
        for tool in TOOLS:
            busy = []
            for n in (1, 3, 10):
                values = [r["machine_busy_cores"] for r in good(records, f"scale-{n}{suffix}", tool)
                          if r.get("machine_busy_cores") is not None]
                busy.append(f"{statistics.median(values):.2f}" if values else "–")
            lines.append(
                f"| {NAMES[tool]} | "
                + " | ".join(spread([r["wall"] for r in good(records, f"scale-{n}{suffix}", tool)])
                             for n in (1, 3, 10))
                + f" | {ratio_text(ratios(records, f'scale-3{suffix}', tool, base=tool, base_case=f'scale-1{suffix}'))}"
                f" | {ratio_text(ratios(records, f'scale-10{suffix}', tool, base=tool, base_case=f'scale-1{suffix}'))}"
                f" | {' / '.join(busy)} |")
    lines += ["", "Busy cores: CPU of the whole machine during those runs (of 2, median; every "
              "process: the tool, the ssh servers and the work inside the hosts, and other users')."]

    lines += ["", "## Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    # issue 14's goals: kept connections ≥150× Ansible and ≥30× pyinfra (idempotent and
    # --check); fresh ≥12× pyinfra
    goals = (("ssh-idem-1", "idempotent, ssh, kept connections", (("ansible", 150), ("pyinfra", 30))),
             ("ssh-check-1", "`--check`, ssh, kept connections", (("ansible", 150), ("pyinfra", 30))),
             ("ssh-idem-1-fresh", "idempotent, ssh, fresh connections", (("pyinfra", 12),)),
             ("ssh-check-1-fresh", "`--check`, ssh, fresh connections", (("pyinfra", 12),)))
    for case, label, targets in goals:
        for tool, goal in targets:
            values = ratios(records, case, tool)
            if values:
                med = statistics.median(values)
                lines.append(f"| {label}: ≥{goal}× faster than {NAMES[tool]} | {med:.1f}× (median) | "
                             f"{'yes' if med >= goal else '**no**'} |")
    counted = (raw.get("host_processes") or {}).get("runner")
    if counted:
        lines.append(f"| ≤8 processes spawned on the host, unchanged run (kept connection) | "
                     f"{counted['processes']} | {'yes' if counted['processes'] <= 8 else '**no**'} |")
    sim = (raw.get("simulated") or {}).get("hosts") or {}
    if "1000" in sim:
        thousand = sim["1000"]
        lines.append(f"| 1,000 simulated hosts unchanged in ≤5 s | {thousand['wall']:.2f} s | "
                     f"{'yes' if thousand['wall'] <= 5 else '**no**'} |")
        lines.append(f"| 1,000 simulated hosts in ≤300 MB peak memory | {thousand['maxrss_mb']:.0f} MiB | "
                     f"{'yes' if thousand['maxrss_mb'] <= 300 else '**no**'} |")
    if "100" in sim and "1000" in sim:
        growth = (sim["1000"]["cpu"] / 1000) / (sim["100"]["cpu"] / 100)
        lines.append(f"| CPU per host flat from 100 to 1,000 simulated hosts (±20%) | {growth:.2f}× | "
                     f"{'yes' if 0.8 <= growth <= 1.2 else '**no**'} |")
    rt = [n for r in good(records, "ssh-idem-1", "runner") for n in (r["round_trips"] or {}).values()]
    if rt:
        lines.append(f"| ≤3 ssh round trips per host, idempotent dci_api | {max(rt)} | "
                     f"{'yes' if max(rt) <= 3 else '**no**'} |")
    for suffix, title in SERIES:
        scale = ratios(records, f"scale-10{suffix}", "runner", base="runner", base_case=f"scale-1{suffix}")
        if scale:
            med = statistics.median(scale)
            lines.append(f"| 10 hosts in ≤1.5× the time of 1 (runner), {title} | {med:.2f}× (median) | "
                         f"{'yes' if med <= 1.5 else '**no**'} |")

    lines += ["", "## Peak memory and CPU", "",
              "Peak RSS (MiB, median): GNU time's *Maximum resident set size*, the largest single "
              "process of the run (for Ansible, its largest worker or the controller; ssh clients "
              "count too). CPU: user + system seconds of the whole local process tree (for the "
              "local case this includes the work done on the host).", "",
              "| case | runner MiB | ansible MiB | pyinfra MiB | runner CPU s | ansible CPU s | pyinfra CPU s |",
              "| --- | --: | --: | --: | --: | --: | --: |"]
    for case, title in CASES:
        if counts[case]:
            lines.append(f"| {title} | " + " | ".join(mib(records, case, t) for t in TOOLS) + " | "
                         + " | ".join(cpu(records, case, t) for t in TOOLS) + " |")

    lines += ["", "## Same job, checked", "",
              "Changes reported per run (runner and Ansible: the recap's changed=, summed over "
              "hosts; pyinfra: operations that changed, or in `--dry` would change):", "",
              "| case | runner | ansible-playbook | pyinfra |", "| --- | --: | --: | --: |"]
    for case, title in CASES:
        if counts[case]:
            lines.append(f"| {title} | " + " | ".join(changed(records, case, t) for t in TOOLS) + " |")
    c = raw["checks"]
    on, off = c.get("tracking_on_bn1", {}), c.get("tracking_off_bn2", {})
    local = c.get("local", {})
    lines += [
        "",
        f"- Every managed file (path, mode, owner, sha256 or link target), the units' "
        f"`systemctl is-active`, the running containers and the podman networks, after a cold "
        f"deploy on a reset host: auth tracking on (bn1, every cold run of every tool): "
        f"**{'identical' if on.get('identical') else 'DIFFERENT'}** {on.get('fingerprints')}; "
        f"auth tracking off (bn2): **{'identical' if off.get('identical') else 'DIFFERENT'}** "
        f"{off.get('fingerprints')}.",
        "- Idempotent runs after another tool's deploy changed nothing (table above: 0 "
        "everywhere), so each tool takes the others' files as its own.",
        f"- No unit (re)started during the idempotent and `--check` runs "
        f"(ActiveEnterTimestampMonotonic unchanged): **{c.get('no_unit_restarted_in_idempotent_and_check_runs')}**; "
        f"the `--check` runs changed no file: **{c.get('check_runs_changed_nothing')}**; the 10 hosts "
        f"are unchanged after the host series: **{c.get('ten_hosts_unchanged_by_idempotent_runs')}**; "
        f"the local runs changed nothing: **{c.get('local_runs_changed_nothing')}**.",
        f"- Local case: the host is {local.get('host_os')} with Python {local.get('host_python')}. "
        f"runner built with `--static-swift-stdlib` runs there: `{local.get('runner', {}).get('output')}` "
        f"(rc {local.get('runner', {}).get('rc')}); the default build does not: "
        f"`{local.get('runner-dynamic', {}).get('output', '')[:160]}` "
        f"(rc {local.get('runner-dynamic', {}).get('rc')}).",
    ]

    p = raw.get("profile") or {}
    batch = p.get("runner_remote_probe_batch_ms") or {}
    if p:
        phases = p.get("runner_phases_ms") or {}
        batch = p.get("runner_remote_probe_batch_ms") or {}
        lines += ["", "## Where the time goes (one idempotent run, 1 host, ssh)", "",
                  "| measurement | value |", "| --- | --: |"]

        def row(label, value):
            lines.append(f"| {label} | {value} |")

        def sec(key):
            value = p.get(key)
            if isinstance(value, dict):
                return f"{value['median']:.3f} s ({value['min']:.3f}–{value['max']:.3f})"
            return f"{value:.3f} s" if isinstance(value, (int, float)) else "–"
        row("`ssh host true`, new connection, default key exchange (sntrup761/mlkem hybrid)", sec("ssh_true_default_kex_s"))
        row("`ssh host true`, new connection, `KexAlgorithms=curve25519-sha256`", sec("ssh_true_curve25519_s"))
        row("`ssh host true` to all 10 hosts at once", sec("ssh_true_10_hosts_parallel_s"))
        row("runner `--syntax-check` (start, load, validate; no host)", sec("runner_syntax_check_s"))
        for key, label in (("start_to_first_ssh", "runner: start → first ssh"),
                           ("ssh_handshake_until_master_forks", "runner: ssh connect + authenticate (master forks)"),
                           ("remote_after_handshake", "runner: the probe batch over the connection"),
                           ("first_ssh_run", "runner: the whole first ssh run"),
                           ("ssh_exit_to_end", "runner: `ssh -O exit` → end"),
                           ("total", "runner: total (under strace)")):
            if key in phases:
                row(label, f"{phases[key]:.0f} ms")
        if batch:
            row(f"runner's probe batch replayed inside the host, no ssh ({batch.get('files')} file reads, "
                f"{batch.get('commands')} commands, as runner sends it: the commands at the same time)",
                f"{batch['median']:.0f} ms ({batch['min']:.0f}–{batch['max']:.0f})")
            if "sum_of_probes_ms" in batch:
                row("… the same probes run bare, one after the other (sum)", f"{batch['sum_of_probes_ms']:.0f} ms")
                row("… the same probes run bare, all at once", f"{batch['all_probes_concurrently_ms']:.0f} ms")
        master = p.get("runner_round_trip_over_existing_master_ms") or {}
        if master:
            row("over an existing ssh master: `true`", f"{master['true_ms']:.0f} ms")
            if "runner_batch_ms" in master:
                row("over an existing ssh master: runner's probe batch", f"{master['runner_batch_ms']:.0f} ms")
        local_check = p.get("runner_in_host_syntax_check_ms")
        if local_check is not None:
            row("runner (static build) `--syntax-check` inside the host", f"{local_check:.0f} ms")
        tl = p.get("runner_10_hosts_timeline_ms") or {}
        if tl.get("ssh_runs"):
            row(f"runner, 10 hosts (under strace): {tl['ssh_runs']} ssh runs start at {tl['first_ssh_start']}–"
                f"{tl['last_ssh_start']} ms, end at {tl['first_ssh_end']}–{tl['last_ssh_end']} ms; runner ends at",
                f"{tl['end']} ms")
            if tl.get("exit_runs"):
                row(f"runner, 10 hosts: the {tl['exit_runs']} `ssh -O exit` (closing the masters) start at "
                    f"{tl['first_exit_start']}–{tl['last_exit_start']} ms, one after the other",
                    f"{tl['end'] - tl['first_exit_start']} ms")
        for tool in TOOLS:
            s = p.get(f"{tool}_sshd_per_idempotent_run")
            if s:
                row(f"{NAMES[tool]}: ssh connections / remote commands per idempotent run (sshd log)",
                    f"{s['connections']} / {s['commands']}")
        row("ansible-playbook `--syntax-check` (Python start, parse; no host)", sec("ansible_syntax_check_s"))
        row("`ansible -m ping` to 1 host (start, connect, one module)", sec("ansible_adhoc_ping_s"))
        row("`pyinfra … exec -- true` to 1 host (start, connect, one command)", sec("pyinfra_exec_true_s"))
        imports = p.get("python_import_s") or {}
        if imports:
            row("Python import of ansible-playbook / pyinfra's CLI",
                f"{imports.get('ansible', 0):.3f} s / {imports.get('pyinfra', 0):.3f} s")
    if batch and batch.get("each_probe_ms"):
        lines += ["", "runner's probes, each run bare inside the host (ms, median of 3; a `date` pair "
                  f"costs {batch['timer_overhead_ms']:.1f} ms and is included):", "",
                  "| probe | ms |", "| --- | --: |"]
        for e in sorted(batch["each_probe_ms"], key=lambda e: -e["ms"]):
            lines.append(f"| `{e['probe']}` | {e['ms']:.1f} |")
    if p.get("runner_strace_c"):
        lines += ["", "`strace -f -c` of runner's idempotent run (runner and its ssh client; top of the table):",
                  "", "```", *p["runner_strace_c"].splitlines()[:14], "```"]
    if raw.get("host_processes"):
        lines += ["", "## Processes on the host per unchanged run", "",
                  "Counted with strace on this machine attached to the host's sshd processes: "
                  "forks that are not threads (podman's threads do not count), and the programs "
                  "exec'd.", "", "| tool | processes | programs |", "| --- | --: | --- |"]
        for label, counted in raw["host_processes"].items():
            if counted:
                programs = ", ".join(f"{name} ×{n}" for name, n in counted["programs"].items())
                lines.append(f"| {label} | {counted['processes']} | {programs} |")
    if raw.get("simulated"):
        sim = raw["simulated"]
        rows = sim["hosts"]
        lines += ["", "## Simulated hosts: the controller alone", "",
                  f"bn1's unchanged run recorded once and replayed by in-process hosts, each answering "
                  f"after {sim['delay_ms']} ms per round trip, all at once (forks = hosts); median of "
                  f"{sim['runs']} runs. Per host: the value ÷ hosts.", "",
                  "| hosts | wall s | CPU s | peak MiB | wall / host ms | CPU / host ms |",
                  "| --: | --: | --: | --: | --: | --: |"]
        for count, row in rows.items():
            n = int(count)
            lines.append(f"| {n} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['maxrss_mb']:.0f} | "
                         f"{row['wall'] / n * 1000:.2f} | {row['cpu'] / n * 1000:.2f} |")
        if "100" in rows and "1000" in rows:
            growth = (rows["1000"]["cpu"] / 1000) / (rows["100"]["cpu"] / 100)
            lines += ["", f"CPU per host, 1,000 ÷ 100 hosts: {growth:.2f}×."]
    if raw.get("downtime"):
        lines += [
            "",
            "## Requests during a restart",
            "",
            "An environment change (`api_log_level`) applied while 8 clients send requests "
            "through HAProxy (a new connection each, 2 s timeout, at least 2,000 requests per "
            "run): runner restarts one instance at a time, each out of HAProxy until healthy; "
            "the peer roles restart every instance at once, as the original role does.",
            "",
            "| tool | runs | failed requests (each run) | of requests | longest gap without an answer (s) |",
            "| --- | --: | --: | --: | --: |",
        ]
        names = {"runner": "runner", "ansible": "ansible-playbook", "pyinfra": "pyinfra"}
        for tool, rows in raw["downtime"].items():
            lines.append(
                f"| {names.get(tool, tool)} | {len(rows)} | "
                + ", ".join(str(r["failed"]) for r in rows) + " | "
                + ", ".join(str(r["requests"]) for r in rows) + " | "
                + ", ".join(f"{r['longest_gap_s']:.1f}" for r in rows) + " |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render(json.load(open(sys.argv[1]))))
