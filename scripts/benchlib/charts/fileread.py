"""file_read: throughput against block size, one line per backend; a column per cache mode (warm
page cache, O_DIRECT) and a row per queue depth."""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import metrics, palette, summary
from ..names import variant_label
from . import common

WORKLOAD = "file_read"
AXIS = "block"
METRIC = "bytes_per_second"


def _block_label(v: float) -> str:
    n = int(v)
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} B"


def draw(results, out_dir: str) -> list[common.Drawn]:
    if WORKLOAD not in results.workloads():
        return []
    panels = summary.sweep(results, WORKLOAD, AXIS)
    if not panels:
        return []
    # Lay the panels out as depth (rows) x cache mode (columns) when those are the parameters.
    def coord(rest, name):
        return dict(rest).get(name, "")
    depths = sorted({coord(r, "depth") for r in panels}, key=lambda d: (len(d), d))
    caches = sorted({coord(r, "cache") for r in panels}, key=lambda c: (c != "warm", c))
    fig, axes = plt.subplots(len(depths), len(caches), figsize=(5.6 * len(caches) + 1.6, 3.9 * len(depths)),
                             squeeze=False)
    metric = metrics.get(METRIC)
    used, shown, all_cells, not_shown = set(), set(), [], {}
    for rest, per_backend in panels.items():
        r, c = depths.index(coord(rest, "depth")), caches.index(coord(rest, "cache"))
        ax = axes[r][c]
        used.add((r, c))
        values, xs_all = [], set()
        for backend in palette.sort_backends(per_backend):
            xs, ys, lo, hi = [], [], [], []
            for x, bench in per_backend[backend]:
                xs_all.add(x)
                cell = summary.cell(bench, METRIC)
                if cell is None:
                    if bench.status != "ok":
                        not_shown.setdefault(backend, set()).add(bench.status)
                    continue
                med, el, eh = common.display_cells({backend: cell}, metric)
                xs.append(x); ys.append(med[backend]); lo.append(el[backend]); hi.append(eh[backend])
                all_cells.append(cell)
            if xs:
                ax.errorbar(xs, ys, yerr=[lo, hi], color=palette.colour(backend), marker="o", markersize=4,
                            linewidth=1.5, capsize=2)
                shown.add(backend)
                values += ys
        ax.set_xscale("log", base=2)
        ax.set_xticks(sorted(xs_all))
        ax.set_xticklabels([_block_label(x) for x in sorted(xs_all)])
        ax.minorticks_off()
        if common.wants_log(values):
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        common.plain_numbers(ax)
        ax.set_xlabel("block size  [log]")
        ax.set_ylabel(metrics.axis_label(metric) + ("  [log]" if ax.get_yscale() == "log" else ""))
        ax.set_title(variant_label(rest))
    for r in range(len(depths)):
        for c in range(len(caches)):
            if (r, c) not in used:
                axes[r][c].set_visible(False)
    common.backend_legend(fig, palette.sort_backends(shown), loc="upper left", bbox_to_anchor=(1.0, 0.93),
                          frameon=False, title="backend")
    fig.suptitle(f"{WORKLOAD}: throughput against block size (higher is better)\n"
                 f"median, {common.ci_text(all_cells)}, {common.n_text(all_cells)}")
    notes = []
    if not_shown:
        notes.append("not shown: " + ", ".join(f"{b} ({'/'.join(sorted(s))})" for b, s in sorted(not_shown.items()))
                     + " — reasons in REPORT.md")
    common.footnote(fig, notes)
    file = common.save(fig, out_dir, f"blocks-{WORKLOAD}.png", len(notes))
    return [common.Drawn(file, f"{WORKLOAD}: throughput against block size", notes)]
