"""Latency percentiles (p50, p90, p99, p99.9) per backend, one panel per variant, log scale: the
shape of the tail, which a throughput bar hides."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt

from .. import metrics, palette, summary
from . import common

WORKLOADS = ("net_sequential", "net_concurrent")


def draw_workload(results, workload: str, out_dir: str) -> common.Drawn | None:
    variants = [v for v in summary.variants(results, workload)
                if any(v.cells(m) for m, _ in metrics.LATENCY_PERCENTILES)]
    if not variants:
        return None
    cols = min(len(variants), 3)
    rows = math.ceil(len(variants) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols + 1.6, 3.6 * rows), squeeze=False)
    shown: set[str] = set()
    all_cells = []
    missing_notes = []
    labels = [label for _, label in metrics.LATENCY_PERCENTILES]
    for ax, v in zip(axes.flat, variants):
        for backend in v.backends():
            xs, ys, lo, hi = [], [], [], []
            for i, (metric_name, _) in enumerate(metrics.LATENCY_PERCENTILES):
                c = v.cells(metric_name).get(backend)
                if c is None:
                    continue
                med, el, eh = common.display_cells({backend: c}, metrics.get(metric_name))
                xs.append(i); ys.append(med[backend]); lo.append(el[backend]); hi.append(eh[backend])
                all_cells.append(c)
            if xs:
                ax.errorbar(xs, ys, yerr=[lo, hi], color=palette.colour(backend), marker="o", markersize=4,
                            linewidth=1.5, capsize=2, label=backend)
                shown.add(backend)
        absent = v.missing("lat_p99_us")
        if absent:
            missing_notes.append(f"{v.label}: no latency counters from {', '.join(absent)}")
        ax.set_yscale("log")
        common.plain_numbers(ax)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels)
        ax.set_xlabel("percentile")
        ax.set_ylabel("latency (µs)  [log]")
        ax.set_title(v.label)
    for ax in list(axes.flat)[len(variants):]:
        ax.set_visible(False)
    common.backend_legend(fig, palette.sort_backends(shown), loc="upper left", bbox_to_anchor=(1.0, 0.95),
                          frameon=False, title="backend")
    fig.suptitle(f"{workload}: request latency percentiles (lower is better)\n"
                 f"point = median over repetitions, {common.ci_text(all_cells)}, {common.n_text(all_cells)}")
    notes = common.left_out(variants) + missing_notes
    common.footnote(fig, notes)
    file = common.save(fig, out_dir, f"latency-{common.safe_name(workload)}.png", len(notes))
    return common.Drawn(file, f"{workload}: latency percentiles", notes)


def draw(results, out_dir: str) -> list[common.Drawn]:
    return [d for w in WORKLOADS if w in results.workloads() for d in [draw_workload(results, w, out_dir)] if d]
