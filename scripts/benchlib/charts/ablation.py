"""The ablation's charts: per workload variant, one bar per ring configuration for throughput,
server CPU per request (network) and io_uring_enter calls per operation, whiskers the confidence
interval of the median (benchlib/ablation.py says what the configurations are)."""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import ablation, gbjson, metrics
from . import common

_COLOURS = ("#7f7f7f", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#d62728")


def _colour(config: str) -> str:
    i = ablation.ORDER.index(config) if config in ablation.ORDER else len(ablation.ORDER) - 1
    return _COLOURS[i % len(_COLOURS)]


def draw(results: gbjson.Results, out_dir: str) -> list[common.Drawn]:
    drawn = []
    by_variant: dict[tuple[str, str], list[ablation.Row]] = {}
    for r in ablation.rows(results):
        by_variant.setdefault((r.workload, r.variant), []).append(r)
    for (workload, variant), rs in by_variant.items():
        ok = [r for r in rs if r.status == gbjson.OK and r.cells]
        if not ok:
            continue
        figs = [f for f in ablation.FIGURES if any(f in r.cells for r in ok)]
        fig, axes = plt.subplots(1, len(figs), figsize=(4.2 * len(figs), 4.2), squeeze=False)
        cells = []
        for ax, f in zip(axes[0], figs):
            name = ok[0].throughput_metric if f == "throughput" else f
            metric = metrics.get(name)
            xs, ys, lo, hi, colours, labels = [], [], [], [], [], []
            for i, r in enumerate(ok):
                c = r.cells.get(f)
                if c is None:
                    continue
                med, el, eh = common.display_cells({r.config: c}, metric)
                xs.append(i); ys.append(med[r.config]); lo.append(el[r.config]); hi.append(eh[r.config])
                colours.append(_colour(r.config)); labels.append(r.config); cells.append(c)
            ax.bar(xs, ys, 0.75, color=colours, yerr=[lo, hi], capsize=3,
                   error_kw={"elinewidth": 0.8, "ecolor": "#222222"})
            ax.set_xticks(xs)
            ax.set_xticklabels(labels, rotation=35, ha="right", fontsize=8)
            better = "higher is better" if metric.better == metrics.HIGHER else "lower is better"
            ax.set_title(f"{metric.label}\n({better})", fontsize=10)
            ax.set_ylabel(metrics.axis_label(metric))
            common.plain_numbers(ax)
            ax.grid(axis="x", visible=False)
        title = f"ablation · {workload} · {variant}" if variant else f"ablation · {workload}"
        fig.suptitle(f"{title}\nbar = median, {common.ci_text(cells)}, {common.n_text(cells)} repetitions",
                     fontsize=11)
        notes = [f"not shown: {r.config} ({r.status}: {r.reason})" for r in rs if r.status != gbjson.OK]
        common.footnote(fig, notes)
        file = common.save(fig, out_dir, f"ablation-{common.safe_name(workload + '-' + variant)}.png", len(notes))
        drawn.append(common.Drawn(file, title, notes))
    return drawn
