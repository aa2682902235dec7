"""What every chart shares: the Agg backend, figure sizing, error bars from intervals, footnotes,
and saving."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")   # files only; never a display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

from .. import metrics, palette  # noqa: E402
from ..names import variant_label  # noqa: E402
from ..summary import Cell  # noqa: E402

DPI = 110
plt.rcParams.update({
    "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9,
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
})


@dataclass
class Drawn:
    """A written chart: its file name (relative to the run directory), what it shows, and notes
    on what it left out."""
    file: str
    title: str
    notes: list[str] = field(default_factory=list)


def display_cells(cells: dict[str, Cell], metric: metrics.Metric):
    """(medians, lower errors, upper errors) per backend, in display units."""
    med, lo, hi = {}, {}, {}
    for b, c in cells.items():
        m = metric.display(c.median)
        med[b] = m
        lo[b] = max(m - metric.display(c.ci.low), 0.0)
        hi[b] = max(metric.display(c.ci.high) - m, 0.0)
    return med, lo, hi


def n_text(cells) -> str:
    ns = sorted({c.n for c in cells})
    if not ns:
        return "n=0"
    return f"n={ns[0]}" if len(ns) == 1 else f"n={ns[0]}–{ns[-1]}"


def ci_text(cells) -> str:
    """What the whiskers are, honestly: below 6 repetitions no order-statistic pair reaches 95%."""
    covs = [c.ci.coverage for c in cells if c.ci is not None]
    if covs and min(covs) < 0.95:
        return f"whisker = min–max ({min(covs):.1%} CI of the median)"
    return "whisker = 95% CI of the median"


def wants_log(values) -> bool:
    """Log scale when the values span more than a factor of 30 (else small bars vanish)."""
    positive = [v for v in values if v > 0]
    return len(positive) >= 2 and max(positive) / min(positive) > 30


def tick_text(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}" if abs(v) >= 1e-3 else f"{v:.1e}"


def plain_numbers(ax, axis: str = "y") -> None:
    """Tick labels as 1,000 / 0.5 instead of 10^3 / 5x10^-1, also on log axes."""
    fmt = FuncFormatter(lambda v, _: tick_text(v))
    target = ax.yaxis if axis == "y" else ax.xaxis
    if (ax.get_yscale() if axis == "y" else ax.get_xscale()) == "log":
        lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
        decades = math.log10(max(hi, 1e-300) / max(lo, 1e-300))
        # Enough labelled ticks to read values off: finer steps for narrow ranges, one a decade for wide.
        subs = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0) if decades < 1.3 else (1.0, 2.0, 5.0) if decades < 4 else (1.0,)
        target.set_major_locator(LogLocator(base=10, subs=subs))
    target.set_major_formatter(fmt)
    target.set_minor_formatter(FuncFormatter(lambda v, _: ""))


def backend_legend(fig_or_ax, backends, **kw) -> None:
    handles = [plt.Line2D([], [], color=palette.colour(b), marker="s", linestyle="", markersize=9)
               for b in backends]
    fig_or_ax.legend(handles, backends, **kw)


def footnote(fig, lines) -> None:
    if lines:
        fig.text(0.01, 0.005, "\n".join(lines), fontsize=8, va="bottom", ha="left", color="#444444",
                 wrap=True)


def legend_right(ax, **kw) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, **kw)


def save(fig, out_dir: str, file: str, footer_lines: int = 0) -> str:
    bottom = 0.02 + 0.035 * footer_lines
    fig.tight_layout(rect=(0, bottom, 1, 1))
    path = os.path.join(out_dir, file)
    # "tight" grows the canvas to whatever sticks out (legends beside the axes, footnotes).
    fig.savefig(path, dpi=DPI, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
    return file


def safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("_")


def left_out(variant_list) -> list[str]:
    """One 'not shown: ...' line: a backend missing from every variant is named once with its
    status; one missing from some variants names those variants."""
    variant_list = list(variant_list)
    missing: dict[str, list] = {}
    ran: set[str] = set()
    for v in variant_list:
        ran.update(v.ok())
        for bench in v.not_ok():
            missing.setdefault(bench.name.backend, []).append((variant_label(v.params, " "), bench.status))
    if not missing:
        return []
    parts = []
    for backend in palette.sort_backends(missing):
        statuses = "/".join(sorted({s for _, s in missing[backend]}))
        if backend in ran:
            where = ", ".join(label for label, _ in missing[backend])
            parts.append(f"{backend} in {where} ({statuses})")
        else:
            parts.append(f"{backend} ({statuses})")
    return ["not shown: " + "; ".join(parts) + " — reasons in REPORT.md"]
