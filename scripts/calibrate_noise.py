#!/usr/bin/python3
"""calibrate_noise.py BASELINE RUN [RUN...] --out NOISE.json: how much this machine moves on its own.

Each RUN is a Google Benchmark JSON (or run folder) of the SAME code as BASELINE, rerun on the same
machine. For every benchmark and metric compare.py judges by default (each benchmark's key metric,
syscalls_per_op, server_cpu_us_per_req), it records the largest change of the median between the
baseline and any rerun. compare.py --noise NOISE.json then requires a regression to exceed 1.5 x
that spread (and its usual threshold, and the U test), so changes the machine makes by itself
(run-to-run drift on a shared VM, which a U test on 5 + 5 samples happily calls significant) do not
fail CI, while deterministic counts (unchanged across reruns) keep their tight threshold.

Use at least 5 reruns; results/baseline/README.md has the exact commands.
"""
import argparse
import json
import os
import sys

from benchlib import comparison, gbjson, rundir, stats


def _load(path: str) -> gbjson.Results:
    if os.path.isdir(path):
        path = rundir.bench_json(path)
    return gbjson.load(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Record run-to-run noise of unchanged reruns for compare.py --noise.")
    ap.add_argument("baseline")
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if len(args.runs) < 3:
        print("calibrate_noise.py: at least 3 reruns are needed (5 recommended)", file=sys.stderr)
        return 2
    try:
        baseline = _load(args.baseline)
        runs = [_load(r) for r in args.runs]
    except gbjson.ResultsError as e:
        print(f"calibrate_noise.py: {e}", file=sys.stderr)
        return 2

    spread = {}
    for key, b in baseline.by_key().items():
        if b.status != gbjson.OK:
            continue
        for metric in comparison._metric_names(b, comparison.DEFAULT_METRICS):
            bv = b.values(metric)
            if not bv:
                continue
            bm = stats.median(bv)
            for run in runs:
                c = run.by_key().get(key)
                if c is None or c.status != gbjson.OK or not c.values(metric):
                    continue
                change = abs(comparison._change(bm, stats.median(c.values(metric))))
                if change != float("inf"):
                    spread[(key, metric)] = max(spread.get((key, metric), 0.0), change)

    doc = {
        "what": "largest |change of the median| (%) between the baseline and unchanged reruns",
        "reruns": len(runs),
        "baseline_commit": baseline.context.get("git_commit", ""),
        "entries": [{"benchmark": k, "metric": m, "max_change_pct": round(v, 3)} for (k, m), v in sorted(spread.items())],
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    widest = sorted(spread.items(), key=lambda kv: -kv[1])[:5]
    print(f"calibrate_noise.py: {len(spread)} benchmark metrics from {len(runs)} reruns -> {args.out}")
    for (k, m), v in widest:
        print(f"  widest: {k} [{m}] {v:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
