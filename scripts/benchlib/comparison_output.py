"""compare.py's output: a plain-text table for terminals, Markdown for CI summaries."""
from __future__ import annotations

from . import metrics
from .comparison import IMPROVED, NOT_JUDGED, NOT_SIGNIFICANT, NOTED, REGRESSED, UNCHANGED, Options, Row
from .markdown import table


def _value(metric_name: str, v: float | None) -> str:
    if v is None:
        return "–"
    m = metrics.get(metric_name)
    unit = f" {m.unit}" if m.unit else ""
    return metrics.format_value(m.display(v)) + unit


def _change(r: Row) -> str:
    if r.change_pct is None:
        return "–"
    return f"{r.change_pct:+.1f}%"


def _p(r: Row) -> str:
    if r.pvalue is None:
        return "–" if r.verdict == NOT_JUDGED else "no test"
    return f"{r.pvalue:.3g}"


def _direction(metric_name: str) -> str:
    return "↑" if metrics.get(metric_name).better == metrics.HIGHER else "↓"


def counts(rows: list[Row]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[r.verdict] = out.get(r.verdict, 0) + 1
    return out


def headline(rows: list[Row]) -> str:
    c = counts(rows)
    regressed = c.get(REGRESSED, 0)
    judged = sum(v for k, v in c.items() if k != NOT_JUDGED)
    status = f"{regressed} regression{'s' if regressed != 1 else ''}" if regressed else "no regressions"
    noted = f", {c[NOTED]} worse but not gated" if c.get(NOTED) else ""
    return (f"{status} in {judged} comparisons ({c.get(IMPROVED, 0)} improved{noted}); "
            f"{c.get(NOT_JUDGED, 0)} not judged")


def _cells(r: Row) -> list[str]:
    metric = r.metric if r.metric == "–" else f"{r.metric} {_direction(r.metric)}"
    n = f"{r.n_base}/{r.n_cur}" if r.n_base or r.n_cur else "–"
    verdict = r.verdict + (f" ({r.note})" if r.note else "")
    thr = f"{r.threshold:g}%" if r.threshold is not None else "–"
    return [r.benchmark, metric, _value(r.metric, r.base_median), _value(r.metric, r.cur_median), _change(r),
            thr, _p(r), n, verdict]


HEADERS = ["benchmark", "metric (better)", "baseline", "current", "change", "threshold", "p", "n b/c", "verdict"]


def markdown(rows: list[Row], opts: Options, warnings: list[str]) -> str:
    regressed = any(r.verdict == REGRESSED for r in rows)
    out = f"### Performance check: {'FAILED' if regressed else 'passed'}: {headline(rows)}\n\n"
    out += (f"Regression = Mann-Whitney U p < {opts.alpha:g} and a median change beyond the threshold in the bad "
            f"direction ({opts.threshold:g}%; {opts.tight_threshold:g}% for syscall/instruction counts and server "
            f"CPU per request; deterministic counts are compared without a test). Worst first.\n\n")
    out += "".join(f"> **Warning:** {w}\n>\n" for w in warnings)
    if warnings:
        out += "\n"
    # Changes first; the long tail of unchanged rows folds away (GitHub renders <details>).
    changed = [r for r in rows if r.verdict not in (UNCHANGED, NOT_SIGNIFICANT, NOT_JUDGED)]
    quiet = [r for r in rows if r.verdict in (UNCHANGED, NOT_SIGNIFICANT)]
    unjudged = [r for r in rows if r.verdict == NOT_JUDGED]
    if changed:
        out += table(HEADERS, [_cells(r) for r in changed], "llrrrrrrl") + "\n"
    else:
        out += "No significant change beyond its threshold.\n\n"
    if quiet:
        out += f"<details><summary>{len(quiet)} comparisons without a significant change</summary>\n\n"
        out += table(HEADERS, [_cells(r) for r in quiet], "llrrrrrrl") + "\n</details>\n\n"
    if unjudged:
        out += f"<details><summary>{len(unjudged)} not judged (one side only, skipped, failed, counter "
        out += "unavailable, or too few syscall counts)</summary>\n\n"
        out += table(["benchmark", "metric", "why"], [[r.benchmark, r.metric, r.note] for r in unjudged])
        out += "\n</details>\n"
    return out


def text(rows: list[Row], opts: Options, warnings: list[str]) -> str:
    data = [HEADERS] + [_cells(r) for r in rows]
    widths = [max(len(row[i]) for row in data) for i in range(len(HEADERS) - 1)]
    lines = []
    for k, row in enumerate(data):
        cells = [row[i].ljust(widths[i]) if i < 2 else row[i].rjust(widths[i]) for i in range(len(widths))]
        lines.append("  ".join(cells) + "  " + row[-1])
        if k == 0:
            lines.append("-" * len(lines[0]))
    out = "\n".join(lines) + "\n\n"
    out += "".join(f"warning: {w}\n" for w in warnings)
    out += headline(rows) + f" (alpha {opts.alpha:g}, threshold {opts.threshold:g}%, tight {opts.tight_threshold:g}%)\n"
    return out
