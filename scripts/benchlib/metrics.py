"""What each number in a result means: its label, display unit, which direction is better, and
how compare.py judges it.

Judgement kinds:
  noisy          Mann-Whitney U test plus the effect-size threshold (--threshold, 5%).
  noisy_tight    Mann-Whitney U test plus the tight threshold (--tight-threshold, 2%): a signal far
                 less noisy than wall time, but still not reproducible to the last digit.
  deterministic  the same in every repetition of the same code (syscall counts, instruction counts):
                 medians compared against the tight threshold, no significance test. If the samples
                 do vary after all, the U test is used as for noisy_tight, so jitter alone cannot fail CI.
                 Syscall counts repeat exactly for some benchmarks only: with one count on each side
                 (the runner's default --syscalls first), or varying counts too few for the test,
                 they are shown but not judged.
"""
from __future__ import annotations

from dataclasses import dataclass

HIGHER = "higher"
LOWER = "lower"

NOISY = "noisy"
NOISY_TIGHT = "noisy_tight"
DETERMINISTIC = "deterministic"


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str               # display unit, after multiplying by `scale`
    scale: float            # raw value * scale = displayed value
    better: str             # HIGHER or LOWER
    kind: str               # NOISY, NOISY_TIGHT or DETERMINISTIC
    negative_is_missing: bool = False   # the harness writes -1 when it could not count
    # A deterministic count that repeats exactly for every benchmark (instructions), rather than for
    # some only (syscalls: exact for a blocking file read, varying with how completions batch for a
    # network run or a queue at depth). Only repetitions tell which, so one count a side is not judged.
    exact_for_every_benchmark: bool = True

    def display(self, raw: float) -> float:
        return raw * self.scale


_CATALOGUE = {m.name: m for m in [
    # real_time/cpu_time are normalised to nanoseconds when loaded (gbjson).
    Metric("real_time", "time", "ms", 1e-6, LOWER, NOISY),
    Metric("cpu_time", "runner CPU time", "ms", 1e-6, LOWER, NOISY),
    Metric("bytes_per_second", "throughput", "MB/s", 1e-6, HIGHER, NOISY),
    Metric("requests_per_second", "throughput", "k req/s", 1e-3, HIGHER, NOISY),
    Metric("items_per_second", "throughput", "k items/s", 1e-3, HIGHER, NOISY),
    Metric("lat_p50_us", "p50 latency", "µs", 1.0, LOWER, NOISY),
    Metric("lat_p90_us", "p90 latency", "µs", 1.0, LOWER, NOISY),
    Metric("lat_p99_us", "p99 latency", "µs", 1.0, LOWER, NOISY),
    Metric("lat_p999_us", "p99.9 latency", "µs", 1.0, LOWER, NOISY),
    Metric("lat_max_us", "max latency", "µs", 1.0, LOWER, NOISY),
    Metric("server_cpu_us_per_req", "server CPU per request", "µs/req", 1.0, LOWER, NOISY_TIGHT),
    Metric("syscalls_per_op", "syscalls per operation", "", 1.0, LOWER, DETERMINISTIC,
           negative_is_missing=True, exact_for_every_benchmark=False),
    Metric("syscalls", "syscalls", "", 1.0, LOWER, DETERMINISTIC, negative_is_missing=True,
           exact_for_every_benchmark=False),
    Metric("instructions", "instructions", "M instr", 1e-6, LOWER, DETERMINISTIC),
    Metric("enters_per_op", "io_uring_enter per operation", "", 1.0, LOWER, NOISY_TIGHT,
           negative_is_missing=True),
    Metric("client_cpu_util", "load generator CPU", "fraction of a CPU", 1.0, LOWER, NOISY),
    Metric("errors", "errors", "count", 1.0, LOWER, DETERMINISTIC),
    # net_open_loop: latency from the scheduled send (corrected, clat_) and from the actual send (ulat_).
    *[Metric(f"{kind}_{p}_us", f"{label} {p.replace('p999', 'p99.9').replace('p9999', 'p99.99')} latency", "µs", 1.0,
             LOWER, NOISY)
      for kind, label in (("clat", "corrected"), ("ulat", "uncorrected"))
      for p in ("p50", "p90", "p99", "p999", "p9999", "max")],
    Metric("offered_rps", "offered rate", "k req/s", 1e-3, HIGHER, NOISY),
    Metric("achieved_rps", "achieved rate", "k req/s", 1e-3, HIGHER, NOISY),
    Metric("closed_loop_rps", "closed-loop rate", "k req/s", 1e-3, HIGHER, NOISY),
    Metric("behind_share", "requests the client sent late", "fraction", 1.0, LOWER, NOISY),
]}

LATENCY_PERCENTILES = (("lat_p50_us", "p50"), ("lat_p90_us", "p90"), ("lat_p99_us", "p99"),
                       ("lat_p999_us", "p99.9"))

# The metric a workload is ranked by: throughput, which (unlike a run's wall time) does not depend
# on how much work the profile asked for. Anything unknown falls back on what its counters offer.
_KEY_BY_WORKLOAD = {
    "file_read": "bytes_per_second",
    "linked_chain": "bytes_per_second",
    "net_sequential": "requests_per_second",
    "net_concurrent": "requests_per_second",
    "net_open_loop": "clat_p99_us",
}
_KEY_FALLBACK_ORDER = ("instructions", "requests_per_second", "bytes_per_second", "items_per_second",
                       "real_time")


def get(name: str) -> Metric:
    """The catalogue entry, or a conservative default for an unknown counter (lower is better)."""
    return _CATALOGUE.get(name) or Metric(name, name, "", 1.0, LOWER, NOISY)


def known(name: str) -> bool:
    return name in _CATALOGUE


def key_metric(workload: str, available) -> str | None:
    """The metric to rank/compare a benchmark by, given the metrics it has samples for."""
    preferred = _KEY_BY_WORKLOAD.get(workload)
    if preferred and preferred in available:
        return preferred
    for name in _KEY_FALLBACK_ORDER:
        if name in available:
            return name
    return None


def axis_label(metric: Metric) -> str:
    return f"{metric.label} ({metric.unit})" if metric.unit else metric.label


def format_value(value: float | None, digits: int = 3) -> str:
    """Three significant digits, thousands separated: 1,234 / 12.3 / 0.0123."""
    if value is None:
        return "–"
    a = abs(value)
    if a >= 1000:
        return f"{value:,.0f}"
    if a == 0:
        return "0"
    return f"{value:.{digits}g}"
