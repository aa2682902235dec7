"""Proves plot.py, report.py, split_results.py and history.py on the committed fixture: every
chart is written, REPORT.md has the machine, a table per workload variant, the cost view, the
skip reasons and failure messages; missing or -1 counters are reported, not fatal; results/latest
points at the newest run; history lines are appended once and charted."""
import json
import os
import shutil
import tempfile
import time
import unittest

import helpers
from benchlib import gbjson, report_md, summary

EXPECTED_PNGS = [
    "bars-file_read.png", "bars-linked_chain.png", "bars-net_sequential.png", "bars-net_concurrent.png",
    "latency-net_sequential.png", "latency-net_concurrent.png", "scaling-net_concurrent.png",
    "blocks-file_read.png",
    "cost-file_read.png", "cost-linked_chain.png", "cost-net_sequential.png", "cost-net_concurrent.png",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def make_run(root, name, source=helpers.FIXTURE):
    run = os.path.join(root, "results", name)
    os.makedirs(run)
    shutil.copy(source, os.path.join(run, "bench.json"))
    return run


class PlotAndReportOnFixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.run_dir = make_run(cls.tmp.name, "2026-11-25-2a54d04")
        cls.plot = helpers.run_script("plot.py", cls.run_dir)
        cls.report = helpers.run_script("report.py", cls.run_dir)
        with open(os.path.join(cls.run_dir, "REPORT.md"), encoding="utf-8") as f:
            cls.md = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_scripts_succeed(self):
        self.assertEqual(self.plot.returncode, 0, self.plot.stderr)
        self.assertEqual(self.report.returncode, 0, self.report.stderr)

    def test_every_chart_is_a_png(self):
        for png in EXPECTED_PNGS:
            path = os.path.join(self.run_dir, png)
            self.assertTrue(os.path.isfile(path), png)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), PNG_SIGNATURE, png)
            self.assertGreater(os.path.getsize(path), 10_000, png)

    def test_report_embeds_every_chart(self):
        for png in EXPECTED_PNGS:
            self.assertIn(f"]({png})", self.md)

    def test_report_has_the_machine(self):
        self.assertIn("## Machine and versions", self.md)
        for value in ("6.18.0-1-amd64", "AMD EPYC 7B13", "g++ 12.2.0", "2.3 / 1.44.2 / 1.81.0", "2a54d04"):
            self.assertIn(value, self.md)

    def test_report_has_a_table_per_workload_variant(self):
        results = gbjson.load(helpers.FIXTURE)
        titles = [v.title for w in results.workloads() for v in summary.variants(results, w)]
        self.assertEqual(len(titles), 13)
        for title in titles:
            self.assertIn(f"### {title}\n\n| backend | median", self.md)
        self.assertEqual(self.md.count("| **winner**"), 13)

    def test_report_ranks_without_favouring_anyone(self):
        # In the fixture asio_uring has the best median for 1 MiB warm reads; the table says so.
        section = self.md.split("### file_read block 1 MiB · depth 16 · warm cache")[1].split("###")[0]
        rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
        self.assertTrue(rows[0].startswith("| asio_uring |") and "**winner**" in rows[0], rows[0])
        ringcore = next(r for r in rows if r.startswith("| ringcore |"))
        self.assertNotIn("**winner**", ringcore)
        self.assertIn("tie (CI overlaps the winner's)", ringcore)

    def test_report_has_the_cost_view_and_client_bound_statement(self):
        self.assertIn("## Cost view", self.md)
        self.assertIn("| variant | backend | syscalls / op | server CPU µs / req | client CPU | client-bound |", self.md)
        self.assertIn("**Client-bound:** the load generator, not the server, was the bottleneck for asio_uring, ringcore",
                      self.md)
        self.assertIn("| http, 1,000 conns | nginx | unavailable |", self.md)
        self.assertIn("net_concurrent http · 1,000 conns / nginx: syscalls unavailable (-1) in 5 of 5 repetitions", self.md)

    def test_every_table_has_as_many_columns_in_each_row_as_in_its_header(self):
        # A delimiter row wider than its header makes GitHub show the table as plain text.
        tables, current = [], []
        for line in self.md.splitlines() + [""]:
            if line.startswith("| "):
                current.append(line)
            elif current:
                tables.append(current)
                current = []
        self.assertGreater(len(tables), 20)
        for t in tables:
            width = t[0].count(" | ")
            for row in t[1:]:
                self.assertEqual(row.count(" | "), width, f"header {t[0]!r} vs row {row!r}")

    def test_report_lists_skips_with_reasons_and_failures_with_messages(self):
        skipped = self.md.split("## Skipped")[1].split("## Failed")[0]
        self.assertIn("| file_read/asio/… (6 benchmarks) | asio | Boost.Asio's epoll reactor has no asynchronous file I/O",
                      skipped)
        self.assertIn("| net_concurrent/std/proto:http/conns:5000 | std | 5000 connections need 5000 threads; "
                      "RLIMIT_NPROC allows 4096 |", skipped)
        failed = self.md.split("## Failed")[1]
        self.assertIn("| net_concurrent/libuv/proto:echo/conns:1000 | libuv | loadgen: connection 17: reply 3 differs",
                      failed)

    def test_charts_name_what_they_left_out(self):
        self.assertIn("not shown: asio (skipped)", self.plot.stdout)
        self.assertIn("libuv in echo 1,000 conns (failed)", self.plot.stdout)
        self.assertIn("syscalls per operation: unavailable for nginx", self.plot.stdout)

    def test_latest_points_at_the_run(self):
        latest = os.path.join(self.tmp.name, "results", "latest")
        self.assertTrue(os.path.islink(latest))
        self.assertEqual(os.readlink(latest), "2026-11-25-2a54d04")   # relative


class MissingCounters(unittest.TestCase):
    def test_a_run_without_syscall_counts_still_plots_and_reports(self):
        doc = helpers.gb_doc({
            "net_concurrent/ringcore/proto:http/conns:10": {"requests_per_second": [1e5] * 4, "lat_p50_us": [90] * 4,
                                                            "syscalls_per_op": [-1] * 4},
            "net_concurrent/ringcore/proto:http/conns:100": {"requests_per_second": [1.2e5] * 4,
                                                             "lat_p99_us": [900] * 4, "syscalls_per_op": [-1] * 4},
            "net_concurrent/asio/proto:http/conns:10": {"requests_per_second": [9e4] * 4},
            "file_read/std/block:4096/cache:warm": {"bytes_per_second": [1e9] * 4},
        })
        with tempfile.TemporaryDirectory() as tmp:
            run = make_run(tmp, "r", helpers.write_json(os.path.join(tmp, "in.json"), doc))
            p = helpers.run_script("plot.py", run)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("syscalls per operation: unavailable in this run", p.stdout)
            r = helpers.run_script("report.py", run)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(run, "REPORT.md"), encoding="utf-8") as f:
                md = f.read()
            self.assertIn("syscalls unavailable (-1) in 4 of 4 repetitions", md)
            self.assertIn("Nothing was skipped.", md)


class LatestLink(unittest.TestCase):
    def test_latest_follows_the_newest_run_and_never_replaces_a_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            old = make_run(tmp, "2026-11-24-aaaaaaa")
            new = make_run(tmp, "2026-11-25-bbbbbbb")
            now = time.time()
            os.utime(os.path.join(old, "bench.json"), (now - 100, now - 100))
            os.utime(os.path.join(new, "bench.json"), (now, now))
            self.assertEqual(helpers.run_script("report.py", old).returncode, 0)
            self.assertEqual(os.readlink(os.path.join(tmp, "results", "latest")), "2026-11-25-bbbbbbb")
        with tempfile.TemporaryDirectory() as tmp:
            run = make_run(tmp, "r")
            os.makedirs(os.path.join(tmp, "results", "latest"))
            self.assertEqual(helpers.run_script("report.py", run).returncode, 0)
            self.assertFalse(os.path.islink(os.path.join(tmp, "results", "latest")))

    def test_no_link_outside_a_results_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "somewhere")
            os.makedirs(run)
            shutil.copy(helpers.FIXTURE, os.path.join(run, "bench.json"))
            self.assertEqual(helpers.run_script("report.py", run).returncode, 0)
            self.assertFalse(os.path.lexists(os.path.join(tmp, "latest")))


class SplitResults(unittest.TestCase):
    def test_one_file_per_backend_with_the_same_context(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = make_run(tmp, "r")
            r = helpers.run_script("split_results.py", run)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(helpers.FIXTURE, encoding="utf-8") as f:
                full = json.load(f)
            total = 0
            for backend in ("std", "epoll_pool", "libuv", "asio", "asio_uring", "ringcore", "nginx"):
                with open(os.path.join(run, f"backend-{backend}.json"), encoding="utf-8") as f:
                    part = json.load(f)
                self.assertEqual(part["context"], full["context"])
                self.assertTrue(all(e["run_name"].split("/")[1] == backend for e in part["benchmarks"]))
                total += len(part["benchmarks"])
            self.assertEqual(total, len(full["benchmarks"]))


class History(unittest.TestCase):
    def test_append_once_and_plot(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = make_run(tmp, "2026-11-25-2a54d04")
            history = os.path.join(tmp, "results", "history.jsonl")
            first = helpers.run_script("history.py", "append", run)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertIn("added 2026-11-25-2a54d04 (65 benchmarks)", first.stdout)
            again = helpers.run_script("history.py", "append", run)
            self.assertIn("already recorded", again.stdout)
            with open(history, encoding="utf-8") as f:
                lines = [json.loads(line) for line in f]
            self.assertEqual(len(lines), 1)
            rec = lines[0]["benchmarks"]["net_concurrent/ringcore/proto:http/conns:1000"]
            self.assertEqual((rec["metric"], rec["n"]), ("requests_per_second", 5))
            self.assertEqual(lines[0]["commit"], "2a54d04")
            self.assertEqual(lines[0]["machine"]["cpu_model"], "AMD EPYC 7B13")
            p = helpers.run_script("plot.py", run)          # plot.py draws the history when it exists
            self.assertEqual(p.returncode, 0, p.stderr)
            charts = os.listdir(os.path.join(tmp, "results", "history"))
            self.assertEqual(len(charts), 13)
            self.assertIn("net_concurrent--proto_http-conns_1000.png", charts)


class CostViewSaysWhereSyscallsComeFrom(unittest.TestCase):
    """The runner's syscall_counting context key decides the cost view's sentence on syscalls."""

    def cost_view(self, context):
        return report_md.cost_section(gbjson.Results(context, []), [])

    def test_first_says_the_timed_repetitions_ran_without_the_counter(self):
        md = self.cost_view({"syscall_counting": "first: one extra repetition per benchmark counted syscalls"})
        self.assertIn("Lower is better. Syscalls come from each benchmark's extra counting repetition (one run); "
                      "the timed repetitions, which give every other figure, ran without the counter", md)

    def test_every_warns_that_time_and_cpu_include_the_counter(self):
        md = self.cost_view({"syscall_counting": "every: every repetition counted syscalls"})
        self.assertIn("Every repetition counted syscalls, so the time and CPU figures include the counter's cost", md)

    def test_results_without_the_key_get_no_sentence(self):
        self.assertEqual(self.cost_view({}).split("\n\n")[1],
                         "What each backend spends per operation (block, chunk or request): syscalls counted by the "
                         "kernel for the measured process, and server CPU time (user + system) per request. "
                         "Lower is better.")


class MachineSectionNamesTheRepetitionOrder(unittest.TestCase):
    """The runner's repetition_order context key (--order) is a row of the machine table."""

    def test_interleaved_runs_say_so(self):
        md = report_md.machine_section(gbjson.Results({"repetition_order": "interleaved: all repetitions in one "
                                                                           "random order"}, []), "run")
        self.assertIn("| repetition order | interleaved: all repetitions in one random order |", md)

    def test_results_without_the_key_show_a_dash(self):
        md = report_md.machine_section(gbjson.Results({}, []), "run")
        self.assertIn("| repetition order | – |", md)


if __name__ == "__main__":
    unittest.main()
