"""Runs one command under GNU time and prints what it cost, as one JSON object:
wall seconds (perf_counter around the run, so sub-millisecond), exit code, peak RSS in KiB
(GNU time's "Maximum resident set size": the largest single process of the run), user and
system CPU seconds (the whole process tree), and the command's output.

    python3 timeone.py [--time /usr/bin/time] [--cwd DIR] [--env K=V]... -- ARGV...

Used on this machine (imported) and inside test hosts (run with the host's python3), so it
needs nothing but the standard library.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time


def run(argv, time_binary="/usr/bin/time", cwd=None, env=None, stdin=subprocess.DEVNULL):
    with tempfile.NamedTemporaryFile("r", prefix="bench-time.", suffix=".txt") as report:
        start = time.perf_counter()
        process = subprocess.run(
            [time_binary, "-v", "-o", report.name, *argv],
            cwd=cwd, env=env, stdin=stdin, capture_output=True, text=True, errors="replace",
        )
        wall = time.perf_counter() - start
        text = report.read()

    def number(label):
        match = re.search(re.escape(label) + r":\s*([0-9.]+)", text)
        return float(match.group(1)) if match else None

    rss = number("Maximum resident set size (kbytes)")
    return {
        "wall": wall,
        "rc": process.returncode,
        "maxrss_kb": int(rss) if rss is not None else None,
        "user": number("User time (seconds)"),
        "sys": number("System time (seconds)"),
        "stdout": process.stdout,
        "stderr": process.stderr,
    }


def main(args):
    time_binary, cwd, env = "/usr/bin/time", None, dict(os.environ)
    while args and args[0] != "--":
        option, value, args = args[0], args[1], args[2:]
        if option == "--time":
            time_binary = value
        elif option == "--cwd":
            cwd = value
        elif option == "--env":
            key, _, val = value.partition("=")
            env[key] = val
        else:
            raise SystemExit(f"timeone: unknown option {option}")
    json.dump(run(args[1:], time_binary, cwd, env), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
