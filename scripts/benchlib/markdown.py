"""Small Markdown helpers: tables and escaping."""
from __future__ import annotations


def escape(text: str) -> str:
    """Keeps a cell a cell: pipes and newlines would break the table."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(headers: list[str], rows: list[list], align: str = "") -> str:
    """align: one character per column, 'l' or 'r' (default left)."""
    # Exactly one delimiter per header: GitHub renders a table whose delimiter row has more
    # columns than its header as plain text.
    align = align[:len(headers)].ljust(len(headers), "l")
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(escape(h) for h in headers) + " |", "| " + " | ".join(sep) + " |"]
    for r in rows:
        lines.append("| " + " | ".join(escape(c) for c in r) + " |")
    return "\n".join(lines) + "\n"
