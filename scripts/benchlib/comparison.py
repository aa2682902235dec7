"""Baseline against current, benchmark by benchmark and metric by metric.

A change counts as a regression only when it is both
  * real: Mann-Whitney U two-sided p < alpha (for noisy metrics), and
  * large enough to matter: beyond the threshold in the bad direction (time up, throughput down).
Deterministic metrics (syscall and instruction counts) need no test: their medians are compared
against the tight threshold directly, unless their samples do vary, in which case they get the U
test too (with the tight threshold), so run-to-run jitter alone cannot fail a check. Syscall counts
with nothing to show whether they repeat (one count a side) are shown, not judged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import gbjson, metrics, stats

REGRESSED = "REGRESSED"
IMPROVED = "improved"
UNCHANGED = "unchanged"
NOT_SIGNIFICANT = "no significant change"
BELOW_THRESHOLD = "significant, below threshold"
NOTED = "worse, not gated"  # a time-like regression under --gate deterministic: shown, not failing
NOT_JUDGED = "not judged"

DEFAULT_METRICS = ("key", "syscalls_per_op", "server_cpu_us_per_req")


@dataclass(frozen=True)
class Options:
    threshold: float = 5.0          # % for noisy metrics
    tight_threshold: float = 2.0    # % for deterministic and low-noise metrics
    alpha: float = 0.05
    min_samples: int = 4
    # Calibrated noise (noise.json, see calibrate_noise.py): (benchmark, metric) -> the largest change
    # of the median seen between unchanged reruns on this machine, in %. The threshold for that pair
    # becomes at least noise_factor times it: a change the machine makes on its own is not a regression.
    noise: dict = None
    noise_factor: float = 1.5
    # "all": every judged metric can fail the check. "deterministic": only counts that are the same in
    # every repetition (instructions, the syscalls of a file workload) can; time-like regressions are
    # reported as NOTED. On a shared VM whole runs drift by 20-30%, beyond what any test on 5
    # repetitions can tell from a regression (measured: results/baseline/README.md).
    gate: str = "all"
    # A metric that needs the U test but has fewer than min_samples on a side: an error that makes
    # the whole comparison unusable (False), or a row shown as not judged (True, --skip-few-samples).
    skip_few_samples: bool = False

    def threshold_for(self, benchmark: str, metric_name: str, tight: bool) -> float:
        base = self.tight_threshold if tight else self.threshold
        seen = (self.noise or {}).get((benchmark, metric_name))
        return max(base, self.noise_factor * seen) if seen is not None else base


@dataclass
class Row:
    benchmark: str
    metric: str
    verdict: str
    base_median: float | None = None
    cur_median: float | None = None
    change_pct: float | None = None
    pvalue: float | None = None
    test: str = ""                   # "U exact", "U asymptotic" or "none (deterministic)"
    threshold: float | None = None
    n_base: int = 0
    n_cur: int = 0
    note: str = ""

    def worsening(self) -> float:
        """The change in the bad direction (positive = worse), for sorting worst first."""
        if self.change_pct is None:
            return -math.inf
        sign = -1.0 if metrics.get(self.metric).better == metrics.HIGHER else 1.0
        return sign * self.change_pct


class TooFewSamples(Exception):
    pass


def _change(base: float, cur: float) -> float:
    if base == 0:
        return 0.0 if cur == 0 else math.copysign(math.inf, cur)
    return (cur - base) / abs(base) * 100.0


def _constant(values) -> bool:
    return len(values) <= 1 or float(np.ptp(np.asarray(values, dtype=float))) == 0.0


def judge(benchmark: str, metric_name: str, base, cur, opts: Options) -> Row:
    """Compares two sets of samples of one metric. Raises TooFewSamples when the metric needs a
    significance test and either side has fewer than opts.min_samples repetitions."""
    m = metrics.get(metric_name)
    base, cur = list(base), list(cur)
    bm, cm = stats.median(base), stats.median(cur)
    change = _change(bm, cm)
    bad = change > 0 if m.better == metrics.LOWER else change < 0
    # Deterministic counts whose samples vary after all (syscalls of a network run depend on how
    # completions batch) are judged as noisy metrics, with the U test and the normal threshold.
    varies = not (_constant(base) and _constant(cur))
    tight = m.kind == metrics.NOISY_TIGHT or (m.kind == metrics.DETERMINISTIC and not varies)
    threshold = opts.threshold_for(benchmark, metric_name, tight)
    beyond = abs(change) > threshold
    row = Row(benchmark, metric_name, UNCHANGED, bm, cm, change, None, "", threshold, len(base), len(cur))

    if m.kind == metrics.DETERMINISTIC and not m.exact_for_every_benchmark:
        # Whether this benchmark's count repeats exactly shows only across repetitions of one side.
        # Without that (one count a side), or with varying counts too few for the test, a change
        # cannot be told from the run-to-run variation: shown, not judged.
        if max(len(base), len(cur)) < 2:
            row.verdict = NOT_JUDGED
            row.note = "one count a side (--syscalls first): rerun both with --syscalls every to judge counts"
            return row
        if varies and min(len(base), len(cur)) < opts.min_samples:
            row.verdict = NOT_JUDGED
            row.note = (f"the counts vary between repetitions and a side has fewer than {opts.min_samples} "
                        "(--syscalls every counts every repetition)")
            return row
    exact = m.kind == metrics.DETERMINISTIC and (
        (_constant(base) and _constant(cur)) or min(len(base), len(cur)) < opts.min_samples)
    if exact:
        row.test = "none (deterministic)"
        row.verdict = (REGRESSED if bad else IMPROVED) if beyond else UNCHANGED
        return row

    if min(len(base), len(cur)) < opts.min_samples:
        raise TooFewSamples(f"{benchmark} [{metric_name}]: {len(base)} baseline and {len(cur)} current "
                            f"repetitions; at least {opts.min_samples} on each side are needed")
    u = stats.mann_whitney_u(base, cur)
    row.pvalue = u.pvalue
    row.test = f"U {u.method}"
    significant = u.pvalue < opts.alpha
    if significant and beyond:
        row.verdict = REGRESSED if bad else IMPROVED
        if row.verdict == REGRESSED and opts.gate == "deterministic":
            row.verdict = NOTED
    elif significant:
        row.verdict = BELOW_THRESHOLD
    else:
        row.verdict = NOT_SIGNIFICANT
    return row


def _metric_names(bench: gbjson.Benchmark, wanted) -> list[str]:
    out = []
    for w in wanted:
        name = bench.key_metric() if w == "key" else w
        if name and name not in out:
            out.append(name)
    return out


def compare(baseline: gbjson.Results, current: gbjson.Results, wanted=None,
            opts: Options = Options(), name_filter=None) -> tuple[list[Row], list[str]]:
    """Rows (worst first, unjudged last) and the list of too-few-samples problems (non-empty means
    the comparison is not valid: exit 2). `wanted`: metric names, "key" for each benchmark's key
    metric; None for DEFAULT_METRICS."""
    explicit = wanted is not None
    wanted = tuple(wanted) if explicit else DEFAULT_METRICS
    base_by, cur_by = baseline.by_key(), current.by_key()
    keys = list(base_by) + [k for k in cur_by if k not in base_by]
    if name_filter is not None:
        keys = [k for k in keys if name_filter.search(k)]
    rows, problems = [], []
    for key in keys:
        b, c = base_by.get(key), cur_by.get(key)
        if b is None or c is None:
            rows.append(Row(key, "–", NOT_JUDGED, note="only in the current run" if b is None else "only in the baseline"))
            continue
        if b.status != gbjson.OK or c.status != gbjson.OK:
            if b.status == c.status and b.reason == c.reason:
                note = f"{b.status} in both runs: {b.reason}"
            else:
                note = "; ".join(f"{x.status} in the {where}: {x.reason}" for x, where in
                                 ((b, "baseline"), (c, "current run")) if x.status != gbjson.OK)
            rows.append(Row(key, "–", NOT_JUDGED, note=note))
            continue
        for metric_name in _metric_names(b, wanted):
            bv, cv = b.values(metric_name), c.values(metric_name)
            if not bv or not cv:
                # A default metric this kind of benchmark never reports (server CPU of a file read) is
                # not worth a row; one reported as missing or -1, or asked for by name, is.
                reported = any(metric_name in x.samples or metric_name in x.missing for x in (b, c))
                if reported or explicit:
                    sides = [w for w, v in (("baseline", bv), ("current run", cv)) if not v]
                    rows.append(Row(key, metric_name, NOT_JUDGED, n_base=len(bv), n_cur=len(cv),
                                    note=f"unavailable in the {' and the '.join(sides)} (missing or -1)"))
                continue
            try:
                rows.append(judge(key, metric_name, bv, cv, opts))
            except TooFewSamples as e:
                if not opts.skip_few_samples:
                    problems.append(str(e))
                    continue
                bm, cm = stats.median(bv), stats.median(cv)
                rows.append(Row(key, metric_name, NOT_JUDGED, bm, cm, _change(bm, cm), n_base=len(bv), n_cur=len(cv),
                                note=f"too few repetitions for the test (at least {opts.min_samples} a side)"))
    judged = sorted((r for r in rows if r.verdict != NOT_JUDGED), key=lambda r: -r.worsening())
    return judged + [r for r in rows if r.verdict == NOT_JUDGED], problems


def machine_differences(baseline: gbjson.Results, current: gbjson.Results) -> list[str]:
    out = []
    for k in ("cpu_model", "cpus", "num_cpus", "kernel", "compiler", "cxx_flags", "profile"):
        a, b = baseline.context.get(k), current.context.get(k)
        if a is not None and b is not None and str(a) != str(b):
            out.append(f"{k}: baseline {a!s}, current {b!s}")
    return out
