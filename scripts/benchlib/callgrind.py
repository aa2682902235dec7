"""Reading callgrind's output: the total of an event (Ir = instructions executed)."""
from __future__ import annotations


def total(path: str, event: str = "Ir") -> int:
    """The `summary:` (or, failing that, `totals:`) figure for `event` in a callgrind.out file."""
    events: list[str] = []
    summary = totals = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split(":", 1)[1].split()
            elif line.startswith("summary:"):
                summary = line.split(":", 1)[1].split()
            elif line.startswith("totals:"):
                totals = line.split(":", 1)[1].split()
    figures = summary or totals
    if not events or figures is None:
        raise ValueError(f"{path}: no events/summary lines (not a callgrind output file?)")
    if event not in events:
        raise ValueError(f"{path}: event {event} not recorded (events: {' '.join(events)})")
    i = events.index(event)
    return int(figures[i]) if i < len(figures) else 0
