#!/usr/bin/python3
"""plot.py RUN_DIR: draws the charts for RUN_DIR/bench.json next to it (PNG) and lists them in
RUN_DIR/charts.json for report.py. Also draws the history charts when the results folder has a
history.jsonl (see history.py).

Charts: a bar chart per workload (key metric per backend), latency percentiles (net_*), scaling
with connections (net_concurrent), throughput against block size (file_read), the cost view
(syscalls per operation, server CPU per request), and corrected p99 against offered rate (net_open_loop). Skipped and failed benchmarks are left out and
named under each chart; REPORT.md gives the reasons.
"""
import argparse
import os
import sys

from benchlib import ablation, gbjson, palette, rundir
from benchlib.charts import ablation as ablation_charts
from benchlib.charts import bars, cost, fileread, latency, open_loop, scaling

CHART_KINDS = (bars, latency, scaling, fileread, cost, open_loop)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", help="a results/<date>-<commit> folder holding bench.json")
    ap.add_argument("--no-history", action="store_true", help="do not draw the history charts")
    args = ap.parse_args(argv)
    try:
        results = gbjson.load(rundir.bench_json(args.run_dir))
    except gbjson.ResultsError as e:
        print(f"plot.py: {e}", file=sys.stderr)
        return 2
    palette.register(results.backends())
    drawn = []
    for kind in CHART_KINDS:
        drawn += kind.draw(results, args.run_dir)
    try:   # the ring-configuration ablation, when bench.sh ran it (RUN_DIR/ablation.json)
        ablation_results = ablation.load(args.run_dir)
    except gbjson.ResultsError as e:
        print(f"plot.py: {e}", file=sys.stderr)
        ablation_results = None
    if ablation_results is not None:
        drawn += ablation_charts.draw(ablation_results, args.run_dir)
    rundir.write_charts_manifest(args.run_dir, drawn)
    for d in drawn:
        print(os.path.join(args.run_dir, d.file) if d.file else f"(no chart) {d.title}")
        for note in d.notes:
            print(f"  {note}")
    history = os.path.join(rundir.results_root(args.run_dir), rundir.HISTORY_JSONL)
    if not args.no_history and os.path.isfile(history):
        import history as history_cli   # scripts/history.py, beside this file
        history_cli.main(["plot", "--history", history])
    return 0


if __name__ == "__main__":
    sys.exit(main())
