"""Per-workload views of a run: which variants (parameter sets) exist, and for each variant the
median and confidence interval of a metric per backend. Charts and the report both read this, so
they always show the same numbers."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import gbjson, metrics, palette, stats
from .names import variant_key, variant_label


@dataclass(frozen=True)
class Cell:
    """One benchmark's summary for one metric (raw units)."""
    median: float
    ci: stats.Interval
    n: int


def cell(bench: gbjson.Benchmark, metric: str) -> Cell | None:
    values = bench.values(metric)
    if bench.status != gbjson.OK or not values:
        return None
    return Cell(stats.median(values), stats.median_ci(values), len(values))


@dataclass
class Variant:
    workload: str
    params: tuple[tuple[str, str], ...]
    benchmarks: dict[str, gbjson.Benchmark] = field(default_factory=dict)   # backend -> benchmark

    @property
    def key(self) -> str:
        return variant_key(self.params)

    @property
    def label(self) -> str:
        return variant_label(self.params)

    @property
    def title(self) -> str:
        return f"{self.workload} {variant_label(self.params, ' · ')}" if self.params else self.workload

    def backends(self) -> list[str]:
        return palette.sort_backends(self.benchmarks)

    def ok(self) -> dict[str, gbjson.Benchmark]:
        return {b: self.benchmarks[b] for b in self.backends() if self.benchmarks[b].status == gbjson.OK}

    def not_ok(self) -> list[gbjson.Benchmark]:
        return [self.benchmarks[b] for b in self.backends() if self.benchmarks[b].status != gbjson.OK]

    def key_metric(self) -> str | None:
        available: set[str] = set()
        for b in self.ok().values():
            available.update(b.samples)
        return metrics.key_metric(self.workload, available)

    def cells(self, metric: str) -> dict[str, Cell]:
        out = {}
        for backend, bench in self.ok().items():
            c = cell(bench, metric)
            if c is not None:
                out[backend] = c
        return out

    def missing(self, metric: str) -> list[str]:
        """Backends that ran but did not report `metric` (absent or -1 in every repetition)."""
        return [b for b, bench in self.ok().items() if not bench.values(metric)]


def _sort_value(v: str):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def params_sort_key(params):
    return tuple((k, _sort_value(v)) for k, v in params)


def variants(results: gbjson.Results, workload: str, without: tuple[str, ...] = ()) -> list[Variant]:
    """The workload's variants, numeric parameters in numeric order. `without` merges variants that
    differ only in those parameters (the last benchmark wins; used for sweeps drawn as lines)."""
    found: dict[tuple, Variant] = {}
    for bench in results.benchmarks:
        if bench.name.workload != workload:
            continue
        params = bench.name.variant(without)
        v = found.setdefault(params, Variant(workload, params))
        v.benchmarks[bench.name.backend] = bench
    return sorted(found.values(), key=lambda v: params_sort_key(v.params))


def sweep(results: gbjson.Results, workload: str, axis: str) -> dict[tuple, dict[str, list[tuple[float, gbjson.Benchmark]]]]:
    """For a numeric parameter `axis`: {other params: {backend: [(axis value, benchmark), ...]}},
    points in increasing axis order. Benchmarks without that parameter are left out."""
    out: dict[tuple, dict[str, list]] = {}
    for bench in results.benchmarks:
        n = bench.name
        if n.workload != workload or n.param(axis) is None:
            continue
        try:
            x = float(n.param(axis))
        except ValueError:
            continue
        rest = n.variant((axis,))
        out.setdefault(rest, {}).setdefault(n.backend, []).append((x, bench))
    for per_backend in out.values():
        for points in per_backend.values():
            points.sort(key=lambda p: p[0])
    return dict(sorted(out.items(), key=lambda kv: params_sort_key(kv[0])))


def winner(cells: dict[str, Cell], metric: str) -> str | None:
    if not cells:
        return None
    better = metrics.get(metric).better
    pick = max if better == metrics.HIGHER else min
    return pick(cells, key=lambda b: cells[b].median)


def client_bound(bench: gbjson.Benchmark) -> bool | None:
    """True when the load generator was the limit in most repetitions; None when not reported."""
    values = bench.values("client_bound")
    if not values:
        return None
    return sum(1 for v in values if v >= 0.5) * 2 > len(values)


# ringcore against Tokio: the question users of io_uring runtimes ask first. The same variants and key
# metrics as the tables; the ratio and its interval come from stats.ratio_ci.
OURS = "ringcore"
TOKIO = ("tokio_ct", "tokio_mt")
WINS, LOSES, TIE = "wins", "loses", "no clear difference"


@dataclass(frozen=True)
class Versus:
    variant: Variant
    metric: str
    other: str                 # the Tokio flavour
    ours: Cell
    theirs: Cell
    advantage: stats.Ratio     # how many times better ringcore is, in the metric's good direction

    @property
    def verdict(self) -> str:
        if self.advantage.low > 1:
            return WINS
        if self.advantage.high < 1:
            return LOSES
        return TIE


def versus(v: Variant, other: str, ours: str = OURS) -> Versus | None:
    """ringcore against `other` on the variant's key metric; None unless both ran and reported it."""
    metric = v.key_metric()
    ok = v.ok()
    if metric is None or ours not in ok or other not in ok:
        return None
    a, b = ok[ours].values(metric), ok[other].values(metric)
    if not a or not b:
        return None
    higher = metrics.get(metric).better == metrics.HIGHER
    advantage = stats.ratio_ci(a, b) if higher else stats.ratio_ci(b, a)
    if advantage is None:
        return None
    return Versus(v, metric, other, cell(ok[ours], metric), cell(ok[other], metric), advantage)


def versus_tokio(results: gbjson.Results) -> list[Versus]:
    """Every variant where ringcore and a Tokio flavour both ran, in workload and variant order."""
    out = []
    for workload in results.workloads():
        for v in variants(results, workload):
            for other in TOKIO:
                vs = versus(v, other)
                if vs is not None:
                    out.append(vs)
    return out
