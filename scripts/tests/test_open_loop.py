"""Proves the open-loop sweep's figures from synthetic results: the knee (highest offered rate whose
corrected p99 stays below 10x the 10%-load value, never past the first point above it), the table's
exact cells, skipped points left unscored, and the chart and report section on a run."""
import os
import tempfile
import unittest

import helpers
from benchlib import gbjson, open_loop


def point(backend, pct, closed, clat_p99, ulat_p99, achieved=None):
    offered = closed * pct / 100
    return (f"net_open_loop/{backend}/proto:http/conns:100/load_pct:{pct}",
            {"offered_rps": [offered], "achieved_rps": [achieved or offered], "clat_p99_us": [clat_p99],
             "ulat_p99_us": [ulat_p99], "closed_loop_rps": [closed], "clat_p50_us": [clat_p99 / 2],
             "ulat_p50_us": [ulat_p99 / 2], "load_pct": [pct], "errors": [0]})


# fast: p99 50 µs at 10%; 400 at 90% (< 500 = 10x), 5,000 at 100%, back under at 110% (never counts).
FAST = [point("ringcore", 10, 100_000, 50, 45), point("ringcore", 50, 100_000, 80, 60),
        point("ringcore", 80, 100_000, 150, 90), point("ringcore", 90, 100_000, 400, 120),
        point("ringcore", 100, 100_000, 5_000, 200), point("ringcore", 110, 100_000, 450, 100)]
# slow: already 10x at 50%; its 80% point was skipped.
SLOW = [point("std", 10, 20_000, 100, 90), point("std", 50, 20_000, 1_000, 300),
        point("std", 100, 20_000, 90_000, 900)]
# no low-load point: no knee.
NOBASE = [point("libuv", 50, 50_000, 70, 60), point("libuv", 80, 50_000, 90, 70)]


def results(extra_entries=()):
    doc = helpers.gb_doc(dict(FAST + SLOW + NOBASE))
    doc["benchmarks"] += list(extra_entries)
    return gbjson.parse(doc)


SKIPPED_80 = helpers.error_entries(
    "net_open_loop/std/proto:http/conns:100/load_pct:80",
    "skipped: load generator behind schedule: 3.0% of requests sent > 1 ms late by the client itself", 1)


class Knee(unittest.TestCase):
    def setUp(self):
        self.sweeps = open_loop.sweeps(results(SKIPPED_80))

    def test_points_sorted_by_offered_rate_skips_left_out(self):
        self.assertEqual([p.load_pct for p in self.sweeps["ringcore"]], [10, 50, 80, 90, 100, 110])
        self.assertEqual([p.load_pct for p in self.sweeps["std"]], [10, 50, 100])

    def test_knee_is_last_point_before_the_first_above_ten_times_low_load(self):
        k = open_loop.knee(self.sweeps["ringcore"])
        self.assertEqual(k.load_pct, 90)
        self.assertEqual(k.offered_rps, 90_000)

    def test_knee_at_the_low_load_point_when_the_next_is_already_ten_times(self):
        self.assertEqual(open_loop.knee(self.sweeps["std"]).offered_rps, 2_000)

    def test_exactly_ten_times_is_past_the_knee(self):
        pts = open_loop.sweeps(gbjson.parse(helpers.gb_doc(dict(
            [point("asio", 10, 10_000, 10, 10), point("asio", 50, 10_000, 99.9, 20),
             point("asio", 80, 10_000, 100, 20)]))))["asio"]
        self.assertEqual(open_loop.knee(pts).load_pct, 50)

    def test_no_low_load_point_no_knee(self):
        self.assertIsNone(open_loop.knee(self.sweeps["libuv"]))
        self.assertIsNone(open_loop.knee([]))


class Table(unittest.TestCase):
    def test_exact_rows(self):
        lines = open_loop.knee_table(results(SKIPPED_80)).splitlines()
        self.assertEqual(lines[0], "| backend | closed-loop max (req/s) | knee (req/s, % of max) | corrected p99 at 10% (µs) "
                                   "| corrected p99 at 80% (µs) | uncorrected p99 at 80% (µs) | corrected / uncorrected |")
        rows = {line.split(" | ")[0].lstrip("| "): line for line in lines[2:]}
        self.assertEqual(rows["ringcore"], "| ringcore | 100,000 | 90,000 (90%) | 50 | 150 | 90 | 1.7 |")
        self.assertEqual(rows["std"], "| std | 20,000 | 2,000 (10%) | 100 | – | – | – |")
        self.assertEqual(rows["libuv"], "| libuv | 50,000 | – | – | 90 | 70 | 1.3 |")

    def test_nothing_scored(self):
        self.assertEqual(open_loop.knee_table(gbjson.parse(helpers.gb_doc({}))), "No open-loop point was scored.\n")

    def test_section_counts_unscored_points(self):
        self.assertIn("1 point(s) not scored", open_loop.section(results(SKIPPED_80)))


class ChartAndReport(unittest.TestCase):
    def test_plot_and_report_on_a_sweep(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "results", "20261125T000000Z-abc")
            os.makedirs(run)
            doc = helpers.gb_doc(dict(FAST + SLOW))
            doc["benchmarks"] += SKIPPED_80
            helpers.write_json(os.path.join(run, "bench.json"), doc)
            plot = helpers.run_script("plot.py", run, "--no-history")
            self.assertEqual(plot.returncode, 0, plot.stderr)
            png = os.path.join(run, "openloop-net_open_loop.png")
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            report = helpers.run_script("report.py", run)
            self.assertEqual(report.returncode, 0, report.stderr)
            with open(os.path.join(run, "REPORT.md"), encoding="utf-8") as f:
                md = f.read()
            self.assertIn("](openloop-net_open_loop.png)", md)
            self.assertIn("| ringcore | 100,000 | 90,000 (90%) | 50 | 150 | 90 | 1.7 |", md)
            self.assertIn("load generator behind schedule: 3.0%", md)


if __name__ == "__main__":
    unittest.main()
