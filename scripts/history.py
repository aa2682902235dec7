#!/usr/bin/python3
"""history.py: follow performance across runs.

  history.py append RUN_DIR     add RUN_DIR's key metrics (one median per benchmark) to
                                results/history.jsonl (RUN_DIR's parent folder); a run already
                                recorded is not added twice
  history.py plot               draw one chart per workload variant into results/history/

plot.py calls `plot` itself whenever results/history.jsonl exists.
"""
import argparse
import os
import sys

from benchlib import gbjson, history_store, rundir


def _append(args) -> int:
    try:
        results = gbjson.load(rundir.bench_json(args.run_dir))
    except gbjson.ResultsError as e:
        print(f"history.py: {e}", file=sys.stderr)
        return 2
    path = args.history or os.path.join(rundir.results_root(args.run_dir), rundir.HISTORY_JSONL)
    run_name = os.path.basename(os.path.realpath(args.run_dir))
    entry = history_store.entry_for(results, run_name)
    if history_store.append(path, entry):
        print(f"{path}: added {run_name} ({len(entry['benchmarks'])} benchmarks)")
    else:
        print(f"{path}: {run_name} at {entry['commit'] or 'unknown commit'} is already recorded")
    return 0


def _plot(args) -> int:
    path = args.history or os.path.join("results", rundir.HISTORY_JSONL)
    entries = history_store.read(path)
    if not entries:
        print(f"history.py: {path}: no runs recorded (history.py append RUN_DIR adds one)", file=sys.stderr)
        return 2
    if args.last:
        entries = entries[-args.last:]
    out = args.out or os.path.join(os.path.dirname(os.path.abspath(path)), rundir.HISTORY_DIR)
    from benchlib.charts import history as history_charts   # matplotlib only when drawing
    drawn = history_charts.draw(entries, out)
    print(f"{out}: {len(drawn)} history charts over {len(entries)} runs")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Record and chart benchmark results across runs.")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("append", help="record RUN_DIR's medians in history.jsonl")
    a.add_argument("run_dir")
    a.add_argument("--history", help="history file (default: RUN_DIR/../history.jsonl)")
    p = sub.add_parser("plot", help="draw the history charts")
    p.add_argument("--history", help="history file (default: results/history.jsonl)")
    p.add_argument("--out", help="output folder (default: history/ beside the history file)")
    p.add_argument("--last", type=int, default=60, help="only the last N runs (default 60; 0: all)")
    args = ap.parse_args(argv)
    return _append(args) if args.command == "append" else _plot(args)


if __name__ == "__main__":
    sys.exit(main())
