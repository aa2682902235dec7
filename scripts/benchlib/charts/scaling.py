"""Scaling with connections: throughput and p99 latency against the number of connections, one
line per backend, one row per protocol. Points where the load generator was the limit are ringed:
there the backends tie because the client, not the server, ran out of CPU."""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import metrics, palette, summary
from ..names import variant_label
from . import common

WORKLOAD = "net_concurrent"
AXIS = "conns"
PANELS = ("requests_per_second", "lat_p99_us")


def draw(results, out_dir: str) -> list[common.Drawn]:
    if WORKLOAD not in results.workloads():
        return []
    rows = {rest: per_backend for rest, per_backend in summary.sweep(results, WORKLOAD, AXIS).items()
            if len({x for pts in per_backend.values() for x, b in pts if b.status == "ok"}) >= 2}
    if not rows:
        return []
    fig, axes = plt.subplots(len(rows), len(PANELS), figsize=(11.5, 3.9 * len(rows)), squeeze=False)
    shown, any_bound, all_cells, not_shown = set(), False, [], {}
    for r, (rest, per_backend) in enumerate(rows.items()):
        for c, metric_name in enumerate(PANELS):
            ax = axes[r][c]
            metric = metrics.get(metric_name)
            for backend in palette.sort_backends(per_backend):
                xs, ys, lo, hi, bound_x, bound_y = [], [], [], [], [], []
                for x, bench in per_backend[backend]:
                    cell = summary.cell(bench, metric_name)
                    if cell is None:
                        if bench.status != "ok":
                            not_shown.setdefault(backend, set()).add(f"{int(x):,} conns {bench.status}")
                        continue
                    med, el, eh = common.display_cells({backend: cell}, metric)
                    xs.append(x); ys.append(med[backend]); lo.append(el[backend]); hi.append(eh[backend])
                    all_cells.append(cell)
                    if summary.client_bound(bench):
                        bound_x.append(x); bound_y.append(med[backend])
                if not xs:
                    continue
                ax.errorbar(xs, ys, yerr=[lo, hi], color=palette.colour(backend), marker="o", markersize=4,
                            linewidth=1.5, capsize=2)
                if bound_x:
                    any_bound = True
                    ax.scatter(bound_x, bound_y, s=110, facecolors="none", edgecolors="black", linewidths=1.0,
                               zorder=5)
                shown.add(backend)
            ax.set_xscale("log")
            if metric_name.startswith("lat_"):
                ax.set_yscale("log")
            else:
                ax.set_ylim(bottom=0)
            common.plain_numbers(ax, "x")
            common.plain_numbers(ax, "y")
            ax.set_xlabel("concurrent connections  [log]")
            ax.set_ylabel(metrics.axis_label(metric) + ("  [log]" if ax.get_yscale() == "log" else ""))
            better = "higher is better" if metric.better == metrics.HIGHER else "lower is better"
            ax.set_title(f"{variant_label(rest)}: {metric.label} ({better})")
    handles = [plt.Line2D([], [], color=palette.colour(b), marker="o", linewidth=1.5) for b in
               palette.sort_backends(shown)]
    labels = palette.sort_backends(shown)
    if any_bound:
        handles.append(plt.Line2D([], [], marker="o", markersize=10, markerfacecolor="none",
                                  markeredgecolor="black", linestyle=""))
        labels.append("client-bound\n(load generator\nat ≥ 90% CPU)")
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 0.93), frameon=False, title="backend")
    fig.suptitle(f"{WORKLOAD}: scaling with connections — median, {common.ci_text(all_cells)}, "
                 f"{common.n_text(all_cells)}")
    notes = []
    if not_shown:
        notes.append("not shown: " + "; ".join(f"{b} ({', '.join(sorted(s))})" for b, s in sorted(not_shown.items()))
                     + " — reasons in REPORT.md")
    common.footnote(fig, notes)
    file = common.save(fig, out_dir, f"scaling-{WORKLOAD}.png", len(notes))
    return [common.Drawn(file, f"{WORKLOAD}: throughput and p99 against connections", notes)]
