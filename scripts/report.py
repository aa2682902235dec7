#!/usr/bin/python3
"""report.py RUN_DIR: writes RUN_DIR/REPORT.md from RUN_DIR/bench.json (and the charts plot.py
listed in RUN_DIR/charts.json), and points results/latest at the newest run if bench.sh has not."""
import argparse
import os
import sys

from benchlib import gbjson, report_md, rundir


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", help="a results/<date>-<commit> folder holding bench.json")
    args = ap.parse_args(argv)
    try:
        results = gbjson.load(rundir.bench_json(args.run_dir))
    except gbjson.ResultsError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    path = os.path.join(args.run_dir, rundir.REPORT_MD)
    with open(path, "w", encoding="utf-8") as f:
        f.write(report_md.render(results, args.run_dir))
    print(path)
    newest = rundir.update_latest(args.run_dir)
    if newest:
        print(f"{os.path.join(rundir.results_root(args.run_dir), rundir.LATEST)} -> {newest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
