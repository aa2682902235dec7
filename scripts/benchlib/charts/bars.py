"""Per workload, one grouped bar chart: a group per variant, a bar per backend, the bar the median
of the workload's key metric and the whisker its confidence interval."""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import metrics, palette, summary
from . import common


def grouped(ax, variants, metric_name: str, backends) -> list[summary.Cell]:
    """Draws one group of bars per variant; returns the cells drawn. A backend without a value in a
    variant (skipped, failed, counter missing) leaves a gap rather than a zero bar."""
    metric = metrics.get(metric_name)
    width = 0.8 / max(len(backends), 1)
    drawn, values = [], []
    for i, backend in enumerate(backends):
        xs, ys, lo, hi = [], [], [], []
        for j, v in enumerate(variants):
            c = v.cells(metric_name).get(backend)
            if c is None:
                continue
            med, el, eh = common.display_cells({backend: c}, metric)
            xs.append(j - 0.4 + width * (i + 0.5))
            ys.append(med[backend]); lo.append(el[backend]); hi.append(eh[backend])
            drawn.append(c); values.append(med[backend])
        if xs:
            ax.bar(xs, ys, width * 0.92, color=palette.colour(backend), label=backend,
                   yerr=[lo, hi], capsize=2, error_kw={"elinewidth": 0.8, "ecolor": "#222222"})
    if common.wants_log(values):
        ax.set_yscale("log")
    common.plain_numbers(ax)
    ax.set_xticks(range(len(variants)))
    ax.set_xticklabels([v.label.replace(", ", "\n") for v in variants], fontsize=8)
    ax.set_xlim(-0.6, len(variants) - 0.4)
    ax.set_ylabel(metrics.axis_label(metric) + ("  [log]" if ax.get_yscale() == "log" else ""))
    ax.grid(axis="x", visible=False)
    return drawn


def figure_width(n_variants: int, n_backends: int) -> float:
    return min(max(6.0, 1.0 + n_variants * (0.35 + 0.16 * n_backends)), 22.0)


def draw_workload(results, workload: str, out_dir: str) -> common.Drawn | None:
    variants = summary.variants(results, workload)
    metric_name = next((v.key_metric() for v in variants if v.key_metric()), None)
    backends = palette.sort_backends({b for v in variants for b in v.ok()})
    if metric_name is None or not backends:
        return None
    metric = metrics.get(metric_name)
    fig, ax = plt.subplots(figsize=(figure_width(len(variants), len(backends)), 5.0))
    cells = grouped(ax, variants, metric_name, backends)
    better = "higher is better" if metric.better == metrics.HIGHER else "lower is better"
    ax.set_title(f"{workload}: {metric.label} per backend ({better})\n"
                 f"bar = median, {common.ci_text(cells)}, {common.n_text(cells)} repetitions")
    common.legend_right(ax, title="backend")
    notes = common.left_out(variants)
    common.footnote(fig, notes)
    file = common.save(fig, out_dir, f"bars-{common.safe_name(workload)}.png", len(notes))
    return common.Drawn(file, f"{workload}: {metric.label} per backend", notes)


def draw(results, out_dir: str) -> list[common.Drawn]:
    return [d for w in results.workloads() for d in [draw_workload(results, w, out_dir)] if d]
