"""One colour per backend, the same in every chart and every run.

The known backends have fixed colours (ringcore the strongest, so it is easy to find, not to flatter
it); any other backend takes the next unused colour in order of first appearance, so within one run
a backend keeps its colour across charts.
"""
from __future__ import annotations

ORDER = ("std", "epoll_pool", "libuv", "asio", "asio_uring", "ringcore", "tokio_ct", "tokio_mt", "nginx")

_FIXED = {
    "std": "#7f7f7f",         # grey
    "epoll_pool": "#1f77b4",  # blue
    "libuv": "#2ca02c",       # green
    "asio": "#ff7f0e",        # orange
    "asio_uring": "#8c564b",  # brown
    "ringcore": "#d62728",    # red
    "tokio_ct": "#6a3d9a",    # purple (not in _EXTRA, so no other backend can take it)
    "tokio_mt": "#e7298a",    # magenta
    "nginx": "#17becf",       # cyan
}
_EXTRA = ("#9467bd", "#e377c2", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
_assigned: dict[str, str] = {}


def colour(backend: str) -> str:
    if backend in _FIXED:
        return _FIXED[backend]
    if backend not in _assigned:
        used = set(_assigned.values())
        free = [c for c in _EXTRA if c not in used]
        _assigned[backend] = free[0] if free else _EXTRA[len(_assigned) % len(_EXTRA)]
    return _assigned[backend]


def sort_backends(backends) -> list[str]:
    """Known backends in their fixed order, then the others alphabetically."""
    known = [b for b in ORDER if b in backends]
    return known + sorted(b for b in set(backends) if b not in ORDER)


def register(backends) -> None:
    """Assign colours up front, so the first chart drawn does not decide them by its own order."""
    for b in sort_backends(backends):
        colour(b)
