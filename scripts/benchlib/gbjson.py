"""Loads a Google Benchmark (1.7.x) JSON file into one record per benchmark.

Each repetition is an entry with "run_type": "iteration"; Google Benchmark adds "aggregate"
entries (mean, median, stddev, cv) when there are repetitions. Statistics here are computed from
the repetitions themselves, so aggregates are kept only for reference. A benchmark that could not
run has "error_occurred": true and an error_message starting with "skipped: " or "failed: ".
User counters are the remaining top-level numbers of an entry.

A repetition marked "syscall_count_run": 1 is the one that counted syscalls; only its "syscalls" and
"syscalls_per_op" are kept. The tracepoint counter slows every syscall on the machine, so that
repetition is kept out of the time, throughput, CPU and latency figures (the others ran without it).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from . import metrics, names

# The mark of the repetition that counted syscalls, and all that is taken from it.
SYSCALL_COUNT_RUN = "syscall_count_run"
_SYSCALL_COUNTERS = ("syscalls", "syscalls_per_op")
# Numbers in an entry that describe the run rather than measure it.
_NOT_COUNTERS = {"family_index", "per_family_instance_index", "repetitions", "repetition_index",
                 "threads", "iterations", "real_time", "cpu_time", SYSCALL_COUNT_RUN}
_NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

OK = "ok"
SKIPPED = "skipped"
FAILED = "failed"


class ResultsError(Exception):
    """The file is not Google Benchmark JSON we can read; the message says why."""


@dataclass
class Benchmark:
    name: names.BenchName
    samples: dict[str, list[float]] = field(default_factory=dict)   # metric -> one value per repetition
    missing: dict[str, int] = field(default_factory=dict)           # metric -> repetitions reporting -1/NaN
    errors: list[str] = field(default_factory=list)                 # error_message of failed repetitions
    aggregates: dict[str, dict] = field(default_factory=dict)       # "median" -> the aggregate entry
    repetitions: int = 0                                            # as Google Benchmark reported it
    entries: list[dict] = field(default_factory=list)               # the raw entries, in file order

    @property
    def key(self) -> str:
        return self.name.key

    @property
    def n(self) -> int:
        """Repetitions that produced a measurement."""
        return max((len(v) for v in self.samples.values()), default=0)

    @property
    def status(self) -> str:
        if self.n > 0:
            return OK
        if self.errors and all(e.startswith("skipped") for e in self.errors):
            return SKIPPED
        return FAILED

    @property
    def reason(self) -> str:
        """Why it did not run (the first distinct message, prefix removed)."""
        if not self.errors:
            return "no repetitions reported"
        msg = self.errors[0]
        for prefix in ("skipped: ", "failed: "):
            if msg.startswith(prefix):
                return msg[len(prefix):]
        return msg

    def values(self, metric: str) -> list[float]:
        return self.samples.get(metric, [])

    def key_metric(self) -> str | None:
        return metrics.key_metric(self.name.workload, self.samples)


@dataclass
class Results:
    context: dict
    benchmarks: list[Benchmark]          # in file order
    path: str = ""

    def by_key(self) -> dict[str, Benchmark]:
        return {b.key: b for b in self.benchmarks}

    def workloads(self) -> list[str]:
        seen: dict[str, None] = {}
        for b in self.benchmarks:
            seen.setdefault(b.name.workload, None)
        return list(seen)

    def backends(self) -> list[str]:
        seen: dict[str, None] = {}
        for b in self.benchmarks:
            seen.setdefault(b.name.backend, None)
        return list(seen)


def _number(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _add_sample(bench: Benchmark, metric: str, value: float) -> None:
    if math.isnan(value) or math.isinf(value) or (metrics.get(metric).negative_is_missing and value < 0):
        bench.missing[metric] = bench.missing.get(metric, 0) + 1
        return
    bench.samples.setdefault(metric, []).append(value)


def is_syscall_count_run(entry: dict) -> bool:
    """The repetition that counted syscalls (slowed by the counter): only its syscall figures count."""
    return _number(entry.get(SYSCALL_COUNT_RUN)) == 1


def _add_iteration(bench: Benchmark, entry: dict) -> None:
    if entry.get("error_occurred"):
        bench.errors.append(str(entry.get("error_message", "")))
        return
    if is_syscall_count_run(entry):
        for k in _SYSCALL_COUNTERS:
            x = _number(entry.get(k))
            if x is not None:
                _add_sample(bench, k, x)
        return
    scale = _NS_PER_UNIT.get(entry.get("time_unit", "ns"), 1.0)
    for t in ("real_time", "cpu_time"):
        v = _number(entry.get(t))
        if v is not None:
            # Google Benchmark reports time per iteration already; keep it per iteration, in ns.
            _add_sample(bench, t, v * scale)
    for k, v in entry.items():
        if k in _NOT_COUNTERS:
            continue
        x = _number(v)
        if x is not None:
            _add_sample(bench, k, x)


def parse(doc: dict, path: str = "") -> Results:
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
        raise ResultsError(f"{path or 'input'}: not Google Benchmark JSON (no \"benchmarks\" list)")
    context = doc.get("context") if isinstance(doc.get("context"), dict) else {}
    by_key: dict[str, Benchmark] = {}
    for i, entry in enumerate(doc["benchmarks"]):
        if not isinstance(entry, dict) or "name" not in entry:
            raise ResultsError(f"{path or 'input'}: benchmarks[{i}] has no name")
        run_name = entry.get("run_name") or entry["name"]
        bn = names.parse(run_name)
        bench = by_key.get(bn.key)
        if bench is None:
            bench = by_key[bn.key] = Benchmark(bn)
        bench.entries.append(entry)
        bench.repetitions = max(bench.repetitions, int(entry.get("repetitions", 0) or 0))
        if entry.get("run_type", "iteration") == "aggregate":
            bench.aggregates[str(entry.get("aggregate_name", ""))] = entry
        else:
            _add_iteration(bench, entry)
    return Results(context, list(by_key.values()), path)


def load(path: str) -> Results:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise ResultsError(f"{path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ResultsError(f"{path}: not valid JSON ({e})") from None
    return parse(doc, path)
