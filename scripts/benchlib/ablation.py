"""The ablation: the ringcore backend under named ring configurations (`ringcore.plain`,
`ringcore.coop`, ...; harness/README.md), run by bench.sh into RUN_DIR/ablation.json. Per workload
variant and configuration: n, the median and the 95% CI of throughput, server CPU per request
(network) and io_uring_enter calls per operation, and the throughput against the plain ring.
The charts (charts/ablation.py) and REPORT.md's table both read `rows()`, so they agree."""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import gbjson, metrics, summary
from .markdown import table

ABLATION_JSON = "ablation.json"
BASELINE = "plain"
# Cumulative in this order (each adds one feature to the one before); sqpoll is plain + SQPOLL.
ORDER = ("plain", "coop", "defer", "sqpoll", "fixed", "bufring", "linked", "batch")
ADDS = {
    "plain": "plain ring",
    "coop": "+ COOP_TASKRUN",
    "defer": "SINGLE_ISSUER|DEFER_TASKRUN (instead of COOP), registered ring fd",
    "sqpoll": "plain + SQPOLL",
    "fixed": "defer + fixed files",
    "bufring": "+ multishot recv, buffer ring",
    "linked": "+ linked ops",
    "batch": "+ batched waits",
}
FIGURES = ("throughput", "server_cpu_us_per_req", "enters_per_op")


def path(run_dir: str) -> str:
    return os.path.join(run_dir, ABLATION_JSON)


def load(run_dir: str) -> gbjson.Results | None:
    """The run's ablation results, or None when bench.sh ran none."""
    p = path(run_dir)
    return gbjson.load(p) if os.path.isfile(p) else None


def config_of(backend: str) -> str:
    """`ringcore.defer` -> `defer`."""
    return backend.partition(".")[2] or backend


def config_sort_key(config: str):
    return (ORDER.index(config) if config in ORDER else len(ORDER), config)


@dataclass
class Row:
    workload: str
    variant: str                       # e.g. "proto http, 100 conns"
    config: str
    status: str                        # gbjson.OK, SKIPPED, FAILED
    reason: str = ""
    cells: dict | None = None          # figure -> summary.Cell (raw units); absent when not measured
    throughput_metric: str = ""
    vs_plain: float | None = None      # median throughput / the plain ring's


def rows(results: gbjson.Results) -> list[Row]:
    out = []
    for workload in results.workloads():
        for v in summary.variants(results, workload):
            tp = v.key_metric() or metrics.key_metric(workload, ())
            base = None
            per_config = []
            for backend, bench in sorted(v.benchmarks.items(), key=lambda kv: config_sort_key(config_of(kv[0]))):
                r = Row(workload, v.label, config_of(backend), bench.status, throughput_metric=tp or "")
                if bench.status != gbjson.OK:
                    r.reason = bench.reason
                else:
                    r.cells = {}
                    for fig in FIGURES:
                        c = summary.cell(bench, tp if fig == "throughput" else fig) if (tp or fig != "throughput") else None
                        if c is not None and not (c.median < 0):
                            r.cells[fig] = c
                    if r.config == BASELINE and "throughput" in r.cells:
                        base = r.cells["throughput"].median
                per_config.append(r)
            for r in per_config:
                if base and r.cells and "throughput" in r.cells:
                    r.vs_plain = r.cells["throughput"].median / base
            out += per_config
    return out


def _cell_text(metric_name: str, c: summary.Cell | None) -> str:
    if c is None:
        return "–"
    m = metrics.get(metric_name)
    return (f"{metrics.format_value(m.display(c.median))} "
            f"[{metrics.format_value(m.display(c.ci.low))}, {metrics.format_value(m.display(c.ci.high))}]")


def markdown(results: gbjson.Results) -> str:
    """REPORT.md's ablation section: one table, a row per workload variant and configuration."""
    rs = rows(results)
    if not rs:
        return ""
    ns = sorted({c.n for r in rs if r.cells for c in r.cells.values()})
    covs = sorted({c.ci.coverage for r in rs if r.cells for c in r.cells.values() if c.ci})
    ci = "95% CI of the median" if covs and covs[0] >= 0.95 else \
        f"min–max, a {covs[0]:.1%} CI of the median (too few repetitions for 95%)" if covs else "CI"
    body = []
    for r in rs:
        if r.status != gbjson.OK:
            body.append([r.workload, r.variant, r.config, ADDS.get(r.config, ""), "–",
                         f"{r.status}: {r.reason}", "–", "–", "–"])
            continue
        tp = r.cells.get("throughput")
        body.append([r.workload, r.variant, r.config, ADDS.get(r.config, ""), str(tp.n if tp else 0),
                     _cell_text(r.throughput_metric, tp) + f" {metrics.get(r.throughput_metric).unit}",
                     f"{r.vs_plain:.2f}x" if r.vs_plain else "–",
                     _cell_text("server_cpu_us_per_req", r.cells.get("server_cpu_us_per_req")),
                     _cell_text("enters_per_op", r.cells.get("enters_per_op"))])
    text = ("## Ablation: what each io_uring feature buys\n\n"
            "The ringcore backend under named ring configurations (`--ring-config`, harness/README.md). "
            "They are cumulative: each adds one feature to the one above it (`defer` replaces COOP_TASKRUN, "
            "`fixed` builds on `defer`); `sqpoll` is the plain ring plus SQPOLL. A configuration that adds "
            "nothing a workload can use is not run for it (no sockets in file_read, no chains in the "
            f"network workloads). Cells: median [{ci}], n = {', '.join(map(str, ns)) or '0'} repetitions.\n\n")
    text += table(["workload", "variant", "config", "adds", "n", "throughput", "vs plain",
                   "server CPU µs/req", "io_uring_enter / op"], body, "llllrrrrr")
    return text
