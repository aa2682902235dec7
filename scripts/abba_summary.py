#!/usr/bin/python3
"""Summarises scripts/http_vs_nginx.sh's rows: per server and connection count, the medians of its
runs; then server A against server B, as a ratio of those medians and round by round. Each round
runs both servers back to back, so a round's ratio compares two runs that met the same machine:
on a VM whose speed drifts between runs, that is the steadier figure.

  abba_summary.py ROWS [B_NAME]    (A is http_server; B defaults to nginx)

A row is one run, as http_vs_nginx.sh prints it (rows from before the client's CPU was measured
end after enters/req):
  NAME conns N req/s R CPU us/req C p99 us P socket errors E non-2xx X enters/req Q|- wrk CPU U
"""
import statistics
import sys

A_NAME = "http_server"
CLIENT_BOUND = 0.9  # wrk's share of its core at which it, not the server, set the pace (as the harness's client_bound)


def format_row(name, conns, rps, cpu, p99, sockerr, non2xx, epr=None, client=None):
    """One run as http_vs_nginx.sh prints it: epr is io_uring_enter per request (None: no ring),
    client is wrk's share of its core (None: not measured)."""
    line = "%-11s conns %5s  req/s %8.0f  CPU us/req %5.2f  p99 us %7.0f  socket errors %s  non-2xx %s  enters/req %s" % (
        name, conns, rps, cpu, p99, sockerr, non2xx, "%.3f" % epr if epr is not None else "-")
    return line + ("  wrk CPU %.2f" % client if client is not None else "")


def parse_row(line):
    """One run: (name, conns, figures), or None for a line that is not a row."""
    f = line.split()
    if len(f) not in (18, 21) or f[1] != "conns":
        return None
    return f[0], int(f[2]), {"rps": float(f[4]), "cpu": float(f[7]), "p99": float(f[10]),
                             "err": int(f[13]) + int(f[15]), "epr": float(f[17]) if f[17] != "-" else None,
                             "client": float(f[20]) if len(f) == 21 else None}


def _ratios(a_runs, b_runs, key):
    return [x[key] / y[key] for x, y in zip(a_runs, b_runs) if y[key]]


def _line(label, ratios, verdict, count):
    return "  %s ratio round by round: median %.3f, range %.3f-%.3f, %s in %d of %d rounds" % (
        label, statistics.median(ratios), min(ratios), max(ratios), verdict, count, len(ratios))


def summarize(lines, b_name="nginx"):
    """The summary's lines: medians per server, then A / B as medians' ratios and round by round."""
    rows = {}
    for line in lines:
        row = parse_row(line)
        if row:
            rows.setdefault(row[:2], []).append(row[2])
    out = ["", "medians (n = rounds)            req/s   CPU us/req   p99 us   errors   enters/req"]
    for conns in sorted({c for _, c in rows}):
        med = {}
        for name in (A_NAME, b_name):
            rs = rows.get((name, conns), [])
            if not rs:
                continue
            m = {k: statistics.median([r[k] for r in rs]) for k in ("rps", "cpu", "p99")}
            m["err"] = sum(r["err"] for r in rs)
            eprs = [r["epr"] for r in rs if r["epr"] is not None]
            m["epr"] = statistics.median(eprs) if eprs else None
            med[name] = m
            out.append("%-11s conns %5d n=%d %9.0f %12.2f %8.0f %8d   %s" % (
                name, conns, len(rs), m["rps"], m["cpu"], m["p99"], m["err"],
                "%.3f" % m["epr"] if m["epr"] is not None else "-"))
        measured = {name: [r["client"] for r in rows.get((name, conns), []) if r["client"] is not None]
                    for name in med}
        if any(measured.values()):
            out.append("  client-bound runs (wrk at >= %.0f%% of its core): %s" % (CLIENT_BOUND * 100, ", ".join(
                "%s %d of %d" % (name, sum(c >= CLIENT_BOUND for c in cs), len(cs)) for name, cs in measured.items())))
        if len(med) < 2:
            continue
        a, b = med[A_NAME], med[b_name]
        out.append("  %s / %s at %d conns: req/s %.3f  CPU/req %.3f  p99 %.3f" % (
            A_NAME, b_name, conns, a["rps"] / b["rps"], a["cpu"] / b["cpu"],
            a["p99"] / b["p99"] if b["p99"] else float("nan")))
        a_runs, b_runs = rows[(A_NAME, conns)], rows[(b_name, conns)]
        cpu = _ratios(a_runs, b_runs, "cpu")
        if cpu:
            out.append(_line("CPU/req", cpu, A_NAME + " lower", sum(r < 1 for r in cpu)))
        rps = _ratios(a_runs, b_runs, "rps")
        if rps:
            out.append(_line("req/s", rps, "at least 0.90x", sum(r >= 0.90 for r in rps)))
        p99 = _ratios(a_runs, b_runs, "p99")
        if p99:
            out.append(_line("p99", p99, "no higher", sum(r <= 1 for r in p99)))
    return out


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: abba_summary.py ROWS [B_NAME]", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        print("\n".join(summarize(f, argv[2] if len(argv) == 3 else "nginx")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
