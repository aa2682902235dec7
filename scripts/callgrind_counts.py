#!/usr/bin/python3
"""callgrind_counts.py --out FILE [options] -- CMD...: instruction counts per micro-benchmark.

Runs CMD once per benchmark under `valgrind --tool=callgrind` and writes FILE, a Google-Benchmark-
like JSON whose entries carry an `instructions` counter (callgrind's Ir total). Instruction counts
are deterministic for a fixed amount of work, so one run per benchmark suffices and compare.py
compares them against the tight threshold without a significance test.

CMD is a Google Benchmark binary (build/runtime/bench/runtime_microbench) with whatever arguments
or environment (`env VAR=... binary`) fix its iteration count: under callgrind a time-based
--benchmark_min_time would make the count depend on valgrind's speed. For each benchmark,
`--benchmark_filter=^NAME$` is appended, or, if CMD contains the token {filter}, that token is
replaced by the anchored name instead (for commands that take the filter another way).

Benchmarks: --benchmark NAME (repeatable), else every name `CMD --benchmark_list_tests=true`
prints, narrowed by --filter REGEX.

Exit: 0 all counted; 1 some benchmark failed under valgrind (recorded as failed in FILE);
2 usage, valgrind missing, or nothing to run.
"""
import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile

from benchlib import callgrind

FILTER_TOKEN = "{filter}"


def _with_filter(cmd: list[str], regex: str) -> list[str]:
    if any(FILTER_TOKEN in a for a in cmd):
        return [a.replace(FILTER_TOKEN, regex) for a in cmd]
    return cmd + [f"--benchmark_filter={regex}"]


def _list_benchmarks(cmd: list[str], pattern: str, timeout: float) -> list[str]:
    extra_env, cmd = _split_env(cmd)
    listing = _with_filter(cmd, pattern) + ["--benchmark_list_tests=true"]
    out = subprocess.run(listing, capture_output=True, text=True, timeout=timeout, check=True,
                         env={**os.environ, **extra_env}).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def _iterations(stdout: str, name: str):
    """Google Benchmark's own JSON on stdout (when it printed any): the iterations it ran."""
    try:
        doc = json.loads(stdout)
        for e in doc.get("benchmarks", []):
            if e.get("run_type", "iteration") == "iteration" and (e.get("run_name") or e.get("name", "")).startswith(name):
                return int(e.get("iterations", 0)) or None
    except (ValueError, AttributeError, TypeError):
        pass
    return None


def _split_env(cmd: list[str]):
    """`env VAR=value ... binary args` -> ({VAR: value}, [binary, args]): valgrind must run the binary
    itself (it does not follow env's exec without --trace-children)."""
    if not cmd or os.path.basename(cmd[0]) != "env":
        return {}, cmd
    extra, i = {}, 1
    while i < len(cmd) and "=" in cmd[i] and not cmd[i].startswith("-"):
        key, value = cmd[i].split("=", 1)
        extra[key] = value
        i += 1
    return extra, cmd[i:]


def count_one(cmd, name, valgrind_args, timeout, workdir) -> dict:
    out_file = os.path.join(workdir, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".callgrind.out")
    extra_env, cmd = _split_env(cmd)
    argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", *valgrind_args,
            *_with_filter(cmd, f"^{re.escape(name)}$")]
    if not any(FILTER_TOKEN in a for a in cmd) and not any(a.startswith("--benchmark_format") for a in cmd):
        argv.append("--benchmark_format=json")
    entry = {"name": name, "run_name": name, "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
             "threads": 1}
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **extra_env})
    except subprocess.TimeoutExpired:
        return {**entry, "error_occurred": True, "error_message": f"failed: timed out after {timeout:g} s"}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        return {**entry, "error_occurred": True,
                "error_message": f"failed: exit {proc.returncode} under callgrind: {last}"}
    try:
        ir = callgrind.total(out_file)
    except (OSError, ValueError) as e:
        return {**entry, "error_occurred": True, "error_message": f"failed: {e}"}
    iterations = _iterations(proc.stdout, name)
    entry["iterations"] = iterations or 1
    entry["instructions"] = ir
    if iterations:
        entry["instructions_per_iteration"] = ir / iterations
    return entry


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        print("callgrind_counts.py: usage: callgrind_counts.py --out FILE [options] -- CMD...", file=sys.stderr)
        return 2
    cut = argv.index("--")
    ap = argparse.ArgumentParser(description="Instruction counts per micro-benchmark under callgrind.")
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--benchmark", action="append", metavar="NAME", help="benchmark to count (repeatable)")
    ap.add_argument("--filter", default=".", metavar="REGEX", help="benchmarks to count when none is named")
    ap.add_argument("--valgrind-arg", action="append", default=[], metavar="ARG",
                    help="extra callgrind option, e.g. --toggle-collect='*BM_*' to count only the benchmark")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per benchmark (default 600)")
    args = ap.parse_args(argv[:cut])
    cmd = argv[cut + 1:]
    if not cmd:
        print("callgrind_counts.py: no command after --", file=sys.stderr)
        return 2
    if shutil.which("valgrind") is None:
        print("callgrind_counts.py: valgrind not found (apt-get install valgrind)", file=sys.stderr)
        return 2
    try:
        names = args.benchmark or _list_benchmarks(cmd, args.filter, args.timeout)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"callgrind_counts.py: could not list the benchmarks of {cmd[0]}: {e}", file=sys.stderr)
        return 2
    if not names:
        print(f"callgrind_counts.py: no benchmark matches {args.filter!r}", file=sys.stderr)
        return 2
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    entries = []
    with tempfile.TemporaryDirectory(prefix="callgrind-") as workdir:
        for name in names:
            e = count_one(cmd, name, args.valgrind_arg, args.timeout, workdir)
            entries.append(e)
            print(f"{name}: " + (f"{e['instructions']:,} instructions" if "instructions" in e else e["error_message"]),
                  file=sys.stderr)
    doc = {"context": {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                       "host_name": socket.gethostname(), "tool": "callgrind", "valgrind": version,
                       "command": shlex.join(cmd), "valgrind_args": shlex.join(args.valgrind_arg)},
           "benchmarks": entries}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    return 1 if any(e.get("error_occurred") for e in entries) else 0


if __name__ == "__main__":
    sys.exit(main())
