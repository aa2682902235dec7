"""results/history.jsonl: one JSON object per run, so performance can be followed across commits.

    {"run": "2026-11-25-2a54d04", "commit": "2a54d04", "date": "...", "profile": "default",
     "machine": {"host_name": ..., "cpu_model": ..., "cpus": ..., "kernel": ...},
     "benchmarks": {"file_read/ringcore/block:65536/...": {"metric": "bytes_per_second",
                                                          "median": 7.3e9, "n": 5}, ...}}

Only each benchmark's key metric is kept (see metrics.key_metric); runs on different machines are
not comparable, so `machine` travels with every line and the charts mark where it changes.
"""
from __future__ import annotations

import json
import os

from . import gbjson, stats

MACHINE_KEYS = ("host_name", "cpu_model", "cpus", "num_cpus", "kernel")


def entry_for(results: gbjson.Results, run_name: str) -> dict:
    ctx = results.context
    benchmarks = {}
    for b in results.benchmarks:
        metric = b.key_metric()
        if b.status != gbjson.OK or metric is None:
            continue
        values = b.values(metric)
        benchmarks[b.key] = {"metric": metric, "median": stats.median(values), "n": len(values)}
    return {
        "run": run_name,
        "commit": str(ctx.get("git_commit", "")),
        "date": str(ctx.get("date", "")),
        "profile": str(ctx.get("profile", "")),
        "machine": {k: ctx[k] for k in MACHINE_KEYS if k in ctx},
        "benchmarks": benchmarks,
    }


def read(path: str) -> list[dict]:
    """Every readable line; a damaged line (an interrupted write, say) is skipped, not fatal."""
    out = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict) and isinstance(obj.get("benchmarks"), dict):
                    out.append(obj)
    except FileNotFoundError:
        pass
    return out


def append(path: str, entry: dict) -> bool:
    """Appends unless a line for the same run and commit is already there. True when written."""
    if any(e.get("run") == entry["run"] and e.get("commit") == entry["commit"] for e in read(path)):
        return False
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, sort_keys=True) + "\n")
    return True
