#!/usr/bin/python3
"""compare.py BASELINE CURRENT: did performance regress?

BASELINE and CURRENT are Google Benchmark JSON files (or run folders holding bench.json) with
repetitions. For every benchmark in both, each metric is compared: medians, change, and a
two-sided Mann-Whitney U test (scipy.stats.mannwhitneyu's method="auto": exact distribution
when a side has at most 8 values and there are no ties, else the tie-corrected normal
approximation with continuity correction; see benchlib/stats.py).

A regression needs both p < --alpha and a change beyond the threshold in the bad direction (time,
latency, CPU, syscalls, instructions up; throughput down): --threshold (5%) for noisy metrics,
--tight-threshold (2%) for server CPU per request (still U-tested) and for deterministic counts
(syscalls_per_op, callgrind instructions), which are compared without a test. Syscall counts repeat
exactly for some benchmarks only: with one count a side (the runner's --syscalls first) they are
shown, not judged.

The threshold is the smallest change that matters, not the smallest that is caught: a true change
of exactly the threshold measures above it about half the time. To catch a slowdown of X% reliably,
set --threshold below X (with 15 repetitions at 3% noise, a 3% threshold catches a true 5% slowdown
in about 9 runs out of 10).

Metrics (--metric, repeatable): "key" is each benchmark's headline metric (throughput for the
harness workloads, instructions for callgrind counts, else real_time); the default is
key, syscalls_per_op and server_cpu_us_per_req.

--noise NOISE.json (scripts/calibrate_noise.py, committed in results/baseline/) widens each
benchmark's threshold to --noise-factor (1.5) x the largest change unchanged reruns showed on this
machine, which is what makes the check usable on a noisy shared VM.

Exit: 0 no significant regression; 1 at least one; 2 unusable input (unreadable, or fewer than
--min-samples repetitions on a side for a metric that needs the test, unless --skip-few-samples
lists those as not judged).
Benchmarks on one side only, or skipped/failed on a side, are listed but not judged.
"""
import argparse
import json
import os
import re
import sys

from benchlib import comparison, comparison_output, gbjson, rundir


def _load(path: str) -> gbjson.Results:
    if os.path.isdir(path):
        path = rundir.bench_json(path)
    return gbjson.load(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Compare two Google Benchmark JSON results; exit 1 on a regression.")
    ap.add_argument("baseline")
    ap.add_argument("current")
    ap.add_argument("--threshold", type=float, default=5.0, metavar="PCT",
                    help="minimum change that counts for noisy metrics (default 5%%)")
    ap.add_argument("--tight-threshold", type=float, default=2.0, metavar="PCT",
                    help="minimum change for counts and server CPU per request (default 2%%)")
    ap.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    ap.add_argument("--min-samples", type=int, default=4,
                    help="repetitions needed on each side for the U test (default 4)")
    ap.add_argument("--metric", action="append", metavar="NAME",
                    help="metric to compare (repeatable; 'key' = each benchmark's headline metric)")
    ap.add_argument("--filter", metavar="REGEX", help="only benchmarks whose name matches")
    ap.add_argument("--noise", metavar="FILE",
                    help="noise.json from calibrate_noise.py: thresholds widen to --noise-factor x the "
                         "run-to-run change seen on this machine")
    ap.add_argument("--noise-factor", type=float, default=1.5, help="see --noise (default 1.5)")
    ap.add_argument("--gate", choices=("all", "deterministic"), default="all",
                    help="what can fail the check: every metric (default), or only deterministic counts "
                         "(time-like regressions are then reported as 'worse, not gated')")
    ap.add_argument("--skip-few-samples", action="store_true",
                    help="list metrics with fewer than --min-samples repetitions on a side as not judged, "
                         "instead of exit 2 (make bench runs its 5,000-connection and open-loop rows 3 times)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown summary")
    args = ap.parse_args(argv)

    try:
        baseline, current = _load(args.baseline), _load(args.current)
        name_filter = re.compile(args.filter) if args.filter else None
    except gbjson.ResultsError as e:
        print(f"compare.py: {e}", file=sys.stderr)
        return 2
    except re.error as e:
        print(f"compare.py: --filter: {e}", file=sys.stderr)
        return 2
    noise = None
    if args.noise:
        try:
            with open(args.noise) as f:
                doc = json.load(f)
            noise = {(e["benchmark"], e["metric"]): float(e["max_change_pct"]) for e in doc.get("entries", [])}
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"compare.py: --noise {args.noise}: {e}", file=sys.stderr)
            return 2
    opts = comparison.Options(args.threshold, args.tight_threshold, args.alpha, args.min_samples, noise,
                              args.noise_factor, args.gate, args.skip_few_samples)
    rows, problems = comparison.compare(baseline, current, args.metric, opts, name_filter)
    if problems:
        n = max(opts.min_samples, 5)
        print(f"compare.py: not enough repetitions for a significance test (rerun with ringcore-bench "
              f"--repetitions {n} or --benchmark_repetitions={n}, or pass --skip-few-samples to list these "
              "as not judged):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    if not rows:
        print("compare.py: no benchmark in common and none on either side", file=sys.stderr)
        return 2
    warnings = []
    diffs = comparison.machine_differences(baseline, current)
    if diffs:
        warnings.append("baseline and current differ in setup, so changes may not be the code's: " + "; ".join(diffs))
    render = comparison_output.markdown if args.markdown else comparison_output.text
    sys.stdout.write(render(rows, opts, warnings))
    return 1 if any(r.verdict == comparison.REGRESSED for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
