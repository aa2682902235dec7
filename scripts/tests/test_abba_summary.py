"""Proves abba_summary.py (the summary of scripts/http_vs_nginx.sh): the medians per server, the
ratio of medians, and the round-by-round ratios pair each round's two runs, with exact counts."""
import os
import tempfile
import unittest

import helpers

import abba_summary


def row(name, conns, rps, cpu, p99, sockerr=0, non2xx=0, epr=None, client=None):
    return abba_summary.format_row(name, conns, rps, cpu, p99, sockerr, non2xx, epr, client)


# Three ABBA rounds at 100 connections. Round 2 finds the machine slow for both servers: its runs are
# the slowest of each server, so the medians come from other rounds than the round-by-round ratios.
ROWS = [
    row("http_server", 100, 160000, 5.0, 600, epr=0.4),
    row("nginx", 100, 150000, 6.0, 700),
    row("nginx", 100, 120000, 8.0, 900),
    row("http_server", 100, 110000, 7.0, 1000, sockerr=2, epr=0.3),
    row("http_server", 100, 150000, 5.5, 650, epr=0.5),
    row("nginx", 100, 155000, 5.0, 600),
]


class Summary(unittest.TestCase):
    def test_a_row_reads_as_http_vs_nginx_prints_it(self):
        line = abba_summary.format_row("http_server", 1000, 147800.4, 5.374, 5850, 1, 2, 0.1304, 0.987)
        self.assertEqual(line, "http_server conns  1000  req/s   147800  CPU us/req  5.37  p99 us    5850  "
                               "socket errors 1  non-2xx 2  enters/req 0.130  wrk CPU 0.99")
        self.assertEqual(abba_summary.parse_row(line), ("http_server", 1000, {
            "rps": 147800.0, "cpu": 5.37, "p99": 5850.0, "err": 3, "epr": 0.13, "client": 0.99}))

    def test_rows_parse_and_other_lines_are_ignored(self):
        self.assertEqual(abba_summary.parse_row(ROWS[0]),
                         ("http_server", 100, {"rps": 160000.0, "cpu": 5.0, "p99": 600.0, "err": 0, "epr": 0.4,
                                               "client": None}))
        self.assertEqual(abba_summary.parse_row(row("nginx", 100, 1, 2, 3, client=0.97))[2]["client"], 0.97)
        self.assertEqual(abba_summary.parse_row(row("nginx", 1000, 1, 2, 3, 4, 5))[2]["err"], 9)
        self.assertIsNone(abba_summary.parse_row("http_vs_nginx: http_server against nginx: 3 ABBA rounds"))
        self.assertIsNone(abba_summary.parse_row(""))

    def test_medians_and_their_ratio(self):
        out = abba_summary.summarize(["a line that is not a row"] + ROWS)
        self.assertIn("http_server conns   100 n=3    150000         5.50      650        2   0.400", out)
        self.assertIn("nginx       conns   100 n=3    150000         6.00      700        0   -", out)
        self.assertIn("  http_server / nginx at 100 conns: req/s 1.000  CPU/req 0.917  p99 0.929", out)

    def test_round_by_round_pairs_the_runs_of_each_round(self):
        out = abba_summary.summarize(ROWS)
        # CPU: 5/6, 7/8, 5.5/5 = 0.833, 0.875, 1.1; req/s: 1.067, 0.917, 0.968; p99: 0.857, 1.111, 1.083.
        self.assertIn("  CPU/req ratio round by round: median 0.875, range 0.833-1.100, http_server lower in 2 of 3 rounds", out)
        self.assertIn("  req/s ratio round by round: median 0.968, range 0.917-1.067, at least 0.90x in 3 of 3 rounds", out)
        self.assertIn("  p99 ratio round by round: median 1.083, range 0.857-1.111, no higher in 1 of 3 rounds", out)

    def test_a_variant_instead_of_nginx_and_a_server_without_a_partner(self):
        rows = [r.replace("nginx", "variant") for r in ROWS] + [row("http_server", 1000, 140000, 5.0, 5000)]
        out = abba_summary.summarize(rows, "variant")
        self.assertIn("  http_server / variant at 100 conns: req/s 1.000  CPU/req 0.917  p99 0.929", out)
        self.assertIn("http_server conns  1000 n=1    140000         5.00     5000        0   -", out)
        # No partner at 1,000 connections: its medians, and no ratio of any kind.
        self.assertFalse([line for line in out if "at 1000 conns" in line])
        self.assertEqual(sum("round by round" in line for line in out), 3)

    def test_client_bound_runs_are_counted_per_server(self):
        # wrk at 0.95, 0.90 (the threshold counts) and 0.89 of its core for http_server; 0.99 and one
        # run without the figure (an old row) for nginx.
        clients = [0.95, 0.99, None, 0.90, 0.89, 0.99]
        rows = [r + ("  wrk CPU %.2f" % c if c is not None else "") for r, c in zip(ROWS, clients)]
        out = abba_summary.summarize(rows)
        self.assertIn("  client-bound runs (wrk at >= 90% of its core): http_server 2 of 3, nginx 2 of 2", out)
        # Rows without the figure: no such line.
        self.assertFalse([line for line in abba_summary.summarize(ROWS) if "client-bound" in line])

    def test_the_script_prints_the_summary_and_refuses_bad_usage(self):
        with tempfile.NamedTemporaryFile("w", suffix=".rows", delete=False) as f:
            f.write("\n".join(ROWS) + "\n")
        try:
            r = helpers.run_script("abba_summary.py", f.name)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.splitlines(), abba_summary.summarize(ROWS))
        finally:
            os.unlink(f.name)
        r = helpers.run_script("abba_summary.py")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: abba_summary.py ROWS [B_NAME]", r.stderr)


if __name__ == "__main__":
    unittest.main()
