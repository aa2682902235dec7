"""The cost view: what each backend spends per unit of work, which throughput hides when the
client is the limit. Syscalls per operation (kernel-counted) and, for servers, CPU time per request.
Backends whose counter is missing or -1 (unavailable) are left out and named under the chart."""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import metrics, palette, summary
from . import bars, common

COST_METRICS = ("syscalls_per_op", "server_cpu_us_per_req")


def draw_workload(results, workload: str, out_dir: str) -> common.Drawn | None:
    variants = summary.variants(results, workload)
    present = [m for m in COST_METRICS if any(v.cells(m) for v in variants)]
    absent = [m for m in COST_METRICS if m not in present and any(
        m in b.missing for v in variants for b in v.ok().values())]
    if not present:
        if not absent:
            return None
        # Nothing to draw, but say why there is no cost chart (plot.py prints the notes).
        return common.Drawn("", f"{workload}: cost view", [
            f"{metrics.get(m).label}: unavailable in this run (counter missing or -1); no cost chart" for m in absent])
    backends = palette.sort_backends({b for v in variants for b in v.ok()})
    fig, axes = plt.subplots(len(present), 1, figsize=(bars.figure_width(len(variants), len(backends)),
                                                      3.9 * len(present)), squeeze=False)
    notes, all_cells = [], []
    for ax, metric_name in zip(axes[:, 0], present):
        metric = metrics.get(metric_name)
        all_cells += bars.grouped(ax, variants, metric_name, backends)
        ax.set_title(f"{metric.label} (lower is better)")
        missing = sorted({b for v in variants for b in v.missing(metric_name)},
                         key=palette.sort_backends(backends).index)
        if missing:
            notes.append(f"{metric.label}: unavailable for {', '.join(missing)} (counter missing or -1)")
    for metric_name in absent:
        notes.append(f"{metrics.get(metric_name).label}: unavailable in this run (counter -1)")
    common.backend_legend(fig, backends, loc="upper left", bbox_to_anchor=(1.0, 0.93), frameon=False,
                          title="backend")
    fig.suptitle(f"{workload}: cost per operation — median, {common.ci_text(all_cells)}, {common.n_text(all_cells)}")
    notes += common.left_out(variants)
    common.footnote(fig, notes)
    file = common.save(fig, out_dir, f"cost-{common.safe_name(workload)}.png", len(notes))
    what = " and ".join(metrics.get(m).label for m in present)
    return common.Drawn(file, f"{workload}: {what}", notes)


def draw(results, out_dir: str) -> list[common.Drawn]:
    return [d for w in results.workloads() for d in [draw_workload(results, w, out_dir)] if d]
