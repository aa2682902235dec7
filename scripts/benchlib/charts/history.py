"""History charts: one PNG per workload variant, its key metric over the recorded runs, one line
per backend. A dashed line marks where the machine changed (numbers either side do not compare)."""
from __future__ import annotations

import os

import matplotlib.pyplot as plt

from .. import metrics, names, palette
from ..summary import params_sort_key
from . import common


def _label(entry: dict) -> str:
    commit = entry.get("commit", "")[:8] or "?"
    date = entry.get("date", "")[:10]
    return f"{commit}\n{date}" if date else commit


def draw(entries: list[dict], out_dir: str) -> list[common.Drawn]:
    os.makedirs(out_dir, exist_ok=True)
    # (workload, variant) -> backend -> [(run index, median)], and the metric of each series.
    series: dict[tuple, dict[str, list]] = {}
    metric_of: dict[tuple, str] = {}
    for i, e in enumerate(entries):
        for key, rec in e["benchmarks"].items():
            n = names.parse(key)
            group = (n.workload, n.params)
            series.setdefault(group, {}).setdefault(n.backend, []).append((i, rec["median"]))
            metric_of.setdefault(group, rec["metric"])
    backends = {b for per in series.values() for b in per}
    palette.register(backends)
    machine_changes = [i for i in range(1, len(entries)) if entries[i].get("machine") != entries[i - 1].get("machine")]
    drawn = []
    for (workload, params) in sorted(series, key=lambda g: (g[0], params_sort_key(g[1]))):
        per_backend = series[(workload, params)]
        metric = metrics.get(metric_of[(workload, params)])
        fig, ax = plt.subplots(figsize=(max(6.5, 1.5 + 0.55 * len(entries)), 4.2))
        for backend in palette.sort_backends(per_backend):
            pts = per_backend[backend]
            ax.plot([p[0] for p in pts], [metric.display(p[1]) for p in pts], marker="o", markersize=4,
                    color=palette.colour(backend), label=backend, linewidth=1.5)
        for i in machine_changes:
            ax.axvline(i - 0.5, color="#888888", linestyle="--", linewidth=1)
        ax.set_xticks(range(len(entries)))
        ax.set_xticklabels([_label(e) for e in entries], fontsize=7, rotation=0)
        ax.set_xlim(-0.5, len(entries) - 0.5)
        ax.set_ylim(bottom=0)
        common.plain_numbers(ax)
        ax.set_xlabel("run (commit, date)")
        ax.set_ylabel(metrics.axis_label(metric))
        title = f"{workload} {names.variant_label(params)}" if params else workload
        better = "higher is better" if metric.better == metrics.HIGHER else "lower is better"
        ax.set_title(f"history: {title}\n{metric.label}, median of each run ({better})")
        common.legend_right(ax, title="backend")
        notes = ["dashed line: the machine changed; values either side do not compare"] if machine_changes else []
        common.footnote(fig, notes)
        file = f"{common.safe_name(workload)}--{common.safe_name(names.variant_key(params).replace('/', '-')) or 'all'}.png"
        common.save(fig, out_dir, file, len(notes))
        drawn.append(common.Drawn(file, f"history: {title}", notes))
    return drawn
