"""Where a run's files live: RUN_DIR/bench.json in, PNGs, charts.json and REPORT.md out; the
results root (RUN_DIR's parent) holds history.jsonl, history/ and the `latest` link."""
from __future__ import annotations

import json
import os

BENCH_JSON = "bench.json"
CHARTS_JSON = "charts.json"      # what plot.py drew, for report.py
REPORT_MD = "REPORT.md"
HISTORY_JSONL = "history.jsonl"
HISTORY_DIR = "history"
LATEST = "latest"


def bench_json(run_dir: str) -> str:
    return os.path.join(run_dir, BENCH_JSON)


def results_root(run_dir: str) -> str:
    """The folder holding the runs. `results/latest` counts as being in `results`, not where it points."""
    return os.path.dirname(os.path.abspath(run_dir.rstrip("/")))


def write_charts_manifest(run_dir: str, drawn) -> None:
    with open(os.path.join(run_dir, CHARTS_JSON), "w", encoding="utf-8") as f:
        json.dump([{"file": d.file, "title": d.title, "notes": d.notes} for d in drawn], f, indent=1)


def read_charts_manifest(run_dir: str) -> list[dict]:
    try:
        with open(os.path.join(run_dir, CHARTS_JSON), encoding="utf-8") as f:
            return [c for c in json.load(f) if c["file"] and os.path.exists(os.path.join(run_dir, c["file"]))]
    except (OSError, ValueError):
        return []


def _runs(root: str) -> list[str]:
    out = []
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if name != LATEST and not os.path.islink(path) and os.path.isfile(bench_json(path)):
            out.append(name)
    return out


def update_latest(run_dir: str) -> str | None:
    """Points <root>/latest (a relative symlink) at the newest run in RUN_DIR's results root, newest
    by bench.json's modification time. Only touches `latest` when it is missing or already a
    symlink, and only in a folder named `results` (so a run elsewhere, a test's temp folder say,
    gets no stray link). Returns the run it points at, or None when it left things alone."""
    root = results_root(run_dir)
    if os.path.basename(root) != "results":
        return None
    link = os.path.join(root, LATEST)
    if os.path.exists(link) and not os.path.islink(link):
        return None
    runs = _runs(root)
    if not runs:
        return None
    newest = max(runs, key=lambda r: (os.path.getmtime(bench_json(os.path.join(root, r))), r))
    if os.path.islink(link) and os.readlink(link) == newest:
        return newest
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(newest, tmp)
    os.replace(tmp, link)      # atomic: a reader sees the old or the new link, never none
    return newest
