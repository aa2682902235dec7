"""Latency against offered load (net_open_loop): corrected p99 against the offered rate, one line
per backend, log y; the uncorrected p99 of the same runs dashed in the same colour, so coordinated
omission is visible as the gap. Each backend's knee is marked."""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import open_loop, palette
from . import common


def draw(results, out_dir: str) -> list[common.Drawn]:
    sweeps = open_loop.sweeps(results)
    if not sweeps:
        return []
    fig, ax = plt.subplots(figsize=(9.5, 5.2))
    for backend, points in sweeps.items():
        colour = palette.colour(backend)
        xs = [p.offered_rps / 1e3 for p in points]
        ax.plot(xs, [p.clat_p99_us for p in points], color=colour, marker="o", markersize=4, linewidth=1.8,
                label=f"{backend} corrected")
        ax.plot(xs, [p.ulat_p99_us for p in points], color=colour, linestyle="--", linewidth=1.0, alpha=0.7)
        k = open_loop.knee(points)
        if k is not None:
            ax.plot([k.offered_rps / 1e3], [k.clat_p99_us], color=colour, marker="D", markersize=9,
                    markerfacecolor="none", markeredgewidth=1.5)
    ax.set_yscale("log")
    common.plain_numbers(ax)
    ax.set_xlabel("offered rate (k req/s)")
    ax.set_ylabel("p99 latency (µs)  [log]")
    ax.set_title("net_open_loop: p99 latency against offered load (lower is better)\n"
                 "solid = corrected (from the scheduled send), dashed = uncorrected (from the actual send), "
                 "◇ = knee", fontsize=10)
    common.backend_legend(fig, list(sweeps), loc="upper left", bbox_to_anchor=(1.0, 0.95), frameon=False,
                          title="backend")
    skipped = open_loop.not_scored(results)
    notes = []
    if skipped:
        per_backend: dict[str, int] = {}
        for b in skipped:
            per_backend[b.name.backend] = per_backend.get(b.name.backend, 0) + 1
        who = ", ".join(f"{b} {per_backend[b]}" for b in palette.sort_backends(per_backend))
        notes.append(f"points not scored: {who} — reasons in REPORT.md")
    common.footnote(fig, notes)
    file = common.save(fig, out_dir, f"openloop-{open_loop.WORKLOAD}.png", len(notes))
    return [common.Drawn(file, "net_open_loop: corrected p99 against offered rate", notes)]
