"""net_open_loop: the latency-versus-load sweep per backend, its knee, and the report's table.

Each benchmark `net_open_loop/<backend>/.../load_pct:<p>` is one point: the rate offered (p% of the
backend's closed-loop rate, measured once per run) and the corrected (from the scheduled send) and
uncorrected (from the actual send) percentiles. Points the runner skipped (the load generator fell
behind its schedule) or that failed are not scored and are left out here.

The knee is the highest offered rate at which corrected p99 stays below KNEE_FACTOR times its
low-load value (the LOW_LOAD_PCT point, the lowest of every profile): walking up the offered rates,
the last point before the first one at or above that bound. Without a scored low-load point there is
no knee."""
from __future__ import annotations

from dataclasses import dataclass

from . import gbjson, metrics, palette, stats
from .markdown import table

WORKLOAD = "net_open_loop"
KNEE_FACTOR = 10.0
LOW_LOAD_PCT = 10
TABLE_LOAD_PCT = 80


@dataclass(frozen=True)
class Point:
    load_pct: float
    offered_rps: float
    achieved_rps: float
    clat_p99_us: float
    ulat_p99_us: float
    closed_loop_rps: float


def _median(bench: gbjson.Benchmark, metric: str) -> float | None:
    values = bench.values(metric)
    return stats.median(values) if values else None


def sweeps(results: gbjson.Results) -> dict[str, list[Point]]:
    """backend -> its scored points, by offered rate."""
    out: dict[str, list[Point]] = {}
    for bench in results.benchmarks:
        if bench.name.workload != WORKLOAD or bench.status != gbjson.OK:
            continue
        fields = [_median(bench, m) for m in ("offered_rps", "achieved_rps", "clat_p99_us", "ulat_p99_us",
                                              "closed_loop_rps")]
        if any(f is None for f in fields):
            continue
        pct = float(bench.name.param("load_pct", "nan"))
        out.setdefault(bench.name.backend, []).append(Point(pct, *fields))
    for points in out.values():
        points.sort(key=lambda p: p.offered_rps)
    return {b: out[b] for b in palette.sort_backends(out)}


def knee(points: list[Point]) -> Point | None:
    """The knee point, or None when there is no low-load point to compare against."""
    base = point_at(points, LOW_LOAD_PCT)
    if base is None:
        return None
    bound = KNEE_FACTOR * base.clat_p99_us
    last = None
    for p in points:
        if p.offered_rps < base.offered_rps:
            continue
        if p.clat_p99_us >= bound:
            break
        last = p
    return last


def point_at(points: list[Point], load_pct: float) -> Point | None:
    return next((p for p in points if p.load_pct == load_pct), None)


def not_scored(results: gbjson.Results) -> list[gbjson.Benchmark]:
    return [b for b in results.benchmarks if b.name.workload == WORKLOAD and b.status != gbjson.OK]


def knee_table(results: gbjson.Results) -> str:
    fmt = metrics.format_value
    rows = []
    for backend, points in sweeps(results).items():
        k = knee(points)
        at = point_at(points, TABLE_LOAD_PCT)
        low = point_at(points, LOW_LOAD_PCT)
        closed = points[0].closed_loop_rps
        rows.append([
            backend,
            fmt(closed),
            f"{fmt(k.offered_rps)} ({k.load_pct:g}%)" if k else "–",
            fmt(low.clat_p99_us) if low else "–",
            fmt(at.clat_p99_us) if at else "–",
            fmt(at.ulat_p99_us) if at else "–",
            f"{at.clat_p99_us / at.ulat_p99_us:.1f}" if at and at.ulat_p99_us > 0 else "–",
        ])
    if not rows:
        return "No open-loop point was scored.\n"
    return table(["backend", "closed-loop max (req/s)", "knee (req/s, % of max)", f"corrected p99 at {LOW_LOAD_PCT}% (µs)",
                  f"corrected p99 at {TABLE_LOAD_PCT}% (µs)", f"uncorrected p99 at {TABLE_LOAD_PCT}% (µs)",
                  "corrected / uncorrected"], rows, "lrrrrrr")


SECTION_INTRO = f"""Open loop: the load generator offers a fixed rate (a share of the backend's own closed-loop
maximum, 100 keep-alive HTTP connections) on a schedule, and times each request from the moment it
was **scheduled** (corrected) as well as from its actual send (uncorrected, what a closed-loop client
reports). When the server stalls, the corrected figure keeps the requests that waited; the
uncorrected one omits them (coordinated omission). **Knee**: the highest offered rate at which
corrected p99 stays below {KNEE_FACTOR:g}× its value at {LOW_LOAD_PCT}% load (no knee without that point). Points where the
load generator itself fell behind its schedule (> 1% of requests sent > 1 ms late by the client) are
not scored: they are listed under Skipped.
"""


def section(results: gbjson.Results) -> str:
    out = "### Latency against offered load\n\n" + SECTION_INTRO + "\n" + knee_table(results)
    skipped = not_scored(results)
    if skipped:
        out += f"\n{len(skipped)} point(s) not scored (reasons under Skipped and Failed below).\n"
    return out + "\n"
