"""Benchmark names: `<workload>/<backend>/<param>:<value>/...` (harness/README.md, "Results format").

Google Benchmark appends its own components to a registered name (`iterations:1`, `repeats:5`,
`manual_time`, ...). They say how the benchmark ran, not what it measured, so they are stripped
from the end to get the name results are keyed by; a run with `--benchmark_repetitions` and one with
`->Repetitions()` then compare as the same benchmark.
"""
from __future__ import annotations

from dataclasses import dataclass

# Components Google Benchmark adds after the registered name, in this order.
_GB_PREFIXES = ("min_time:", "min_warmup_time:", "iterations:", "repeats:", "threads:")
_GB_WORDS = ("manual_time", "real_time", "process_time")


def _is_gb_component(part: str) -> bool:
    return part in _GB_WORDS or part.startswith(_GB_PREFIXES)


@dataclass(frozen=True)
class BenchName:
    key: str                                  # the name without Google Benchmark's suffixes
    workload: str
    backend: str
    params: tuple[tuple[str, str], ...]       # in name order, e.g. (("block", "4096"), ("cache", "warm"))

    def param(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.params:
            if k == name:
                return v
        return default

    def variant(self, without: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
        """The parameters that, with the workload, identify one comparison across backends."""
        return tuple((k, v) for k, v in self.params if k not in without)


def parse(run_name: str) -> BenchName:
    parts = run_name.split("/")
    while len(parts) > 1 and _is_gb_component(parts[-1]):
        parts.pop()
    workload = parts[0]
    backend = parts[1] if len(parts) > 1 else ""
    params = []
    for p in parts[2:]:
        k, sep, v = p.partition(":")
        params.append((k, v) if sep else (p, ""))
    return BenchName("/".join(parts), workload, backend, tuple(params))


def variant_key(params: tuple[tuple[str, str], ...]) -> str:
    """Machine-friendly: `block:4096/cache:warm` (empty for no parameters)."""
    return "/".join(f"{k}:{v}" if v else k for k, v in params)


def _human_bytes(text: str) -> str:
    try:
        n = int(text)
    except ValueError:
        return text
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} B"


def _pretty_param(k: str, v: str) -> str:
    if k in ("block", "chunk", "size"):
        return f"{k} {_human_bytes(v)}"
    if k == "conns":
        try:
            return f"{int(v):,} conns"
        except ValueError:
            return f"{v} conns"
    if k == "cache":
        return {"direct": "O_DIRECT", "odirect": "O_DIRECT", "warm": "warm cache"}.get(v, v)
    if k == "proto":
        return v
    return f"{k} {v}" if v else k


def variant_label(params: tuple[tuple[str, str], ...], sep: str = ", ") -> str:
    """Human-friendly: `block 4 KiB, depth 16, warm cache`."""
    return sep.join(_pretty_param(k, v) for k, v in params) or "default"
