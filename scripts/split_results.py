#!/usr/bin/python3
"""split_results.py RUN_DIR: writes RUN_DIR/backend-<name>.json for every backend in
RUN_DIR/bench.json: the same context, and only that backend's entries (repetitions, aggregates
and errors alike), so one backend's results can be compared or shared on their own."""
import argparse
import json
import os
import sys

from benchlib import names, rundir


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir")
    args = ap.parse_args(argv)
    path = rundir.bench_json(args.run_dir)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        entries = doc["benchmarks"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"split_results.py: {path}: not readable Google Benchmark JSON ({e})", file=sys.stderr)
        return 2
    by_backend: dict[str, list] = {}
    for entry in entries:
        backend = names.parse(entry.get("run_name") or entry.get("name", "")).backend
        by_backend.setdefault(backend or "unknown", []).append(entry)
    for backend, mine in by_backend.items():
        out = os.path.join(args.run_dir, f"backend-{backend}.json")
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"context": doc.get("context", {}), "benchmarks": mine}, f, indent=2)
            f.write("\n")
        print(f"{out}: {len(mine)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
