"""Proves the ablation table and charts from synthetic ablation.json: one row per workload variant
and configuration in the ablation's order, median and 95% CI of throughput, server CPU per request
and io_uring_enter per operation, throughput against the plain ring, n, and a skipped configuration
named with its reason; plot.py draws one chart per workload variant; REPORT.md carries the table."""
import os
import shutil
import tempfile
import unittest

import helpers
from benchlib import ablation, gbjson

NET = "net_concurrent/ringcore.{}/proto:http/conns:100/duration_ms:500"
CHAIN = "linked_chain/ringcore.{}/chunk:65536"


def synthetic():
    # Six repetitions: the min-max interval of the median then has 96.9% coverage (>= 95%).
    samples = {
        NET.format("defer"): {"requests_per_second": [60e3, 61e3, 62e3, 63e3, 64e3, 65e3],
                              "server_cpu_us_per_req": [5.0, 5.1, 5.2, 5.3, 5.4, 5.5],
                              "enters_per_op": [0.1] * 6},
        NET.format("plain"): {"requests_per_second": [40e3, 41e3, 42e3, 43e3, 44e3, 45e3],
                              "server_cpu_us_per_req": [6.0, 6.1, 6.2, 6.3, 6.4, 6.5],
                              "enters_per_op": [0.5] * 6},
        CHAIN.format("plain"): {"bytes_per_second": [1e9] * 6, "enters_per_op": [2.0] * 6},
        CHAIN.format("linked"): {"bytes_per_second": [2e9] * 6, "enters_per_op": [1.0] * 6},
    }
    doc = helpers.gb_doc(samples)
    doc["benchmarks"] += helpers.error_entries(NET.format("sqpoll"),
                                               "skipped: ring configuration 'sqpoll': SQPOLL refused", 6)
    return doc


class AblationTable(unittest.TestCase):
    def setUp(self):
        self.results = gbjson.parse(synthetic())

    def test_rows_in_ablation_order_with_medians_cis_and_ratio(self):
        rows = ablation.rows(self.results)
        net = [r for r in rows if r.workload == "net_concurrent"]
        self.assertEqual([r.config for r in net], ["plain", "defer", "sqpoll"])
        plain, defer, sqpoll = net
        self.assertEqual(defer.cells["throughput"].median, 62.5e3)
        self.assertEqual((defer.cells["throughput"].ci.low, defer.cells["throughput"].ci.high), (60e3, 65e3))
        self.assertEqual(defer.cells["throughput"].n, 6)
        self.assertAlmostEqual(defer.cells["server_cpu_us_per_req"].median, 5.25)
        self.assertEqual(defer.cells["enters_per_op"].median, 0.1)
        self.assertAlmostEqual(defer.vs_plain, 62.5 / 42.5)
        self.assertEqual(plain.vs_plain, 1.0)
        self.assertEqual(sqpoll.status, gbjson.SKIPPED)
        self.assertEqual(sqpoll.reason, "ring configuration 'sqpoll': SQPOLL refused")
        chain = [r for r in rows if r.workload == "linked_chain"]
        self.assertEqual([r.config for r in chain], ["plain", "linked"])
        self.assertNotIn("server_cpu_us_per_req", chain[1].cells)
        self.assertEqual(chain[1].vs_plain, 2.0)

    def test_markdown_table(self):
        md = ablation.markdown(self.results)
        self.assertIn("## Ablation: what each io_uring feature buys", md)
        self.assertIn("95% CI of the median", md)
        self.assertIn("n = 6 repetitions", md)
        lines = md.splitlines()
        header = next(l for l in lines if l.startswith("| workload"))
        self.assertEqual(header.count("|") - 1, 9)
        delim = lines[lines.index(header) + 1]
        self.assertEqual(delim.count("|"), header.count("|"))
        self.assertIn("| net_concurrent | http, 100 conns, duration_ms 500 | defer | "
                      "SINGLE_ISSUER\\|DEFER_TASKRUN (instead of COOP), registered ring fd | 6 | 62.5 [60, 65] k req/s | 1.47x | "
                      "5.25 [5, 5.5] | 0.1 [0.1, 0.1] |", md)
        self.assertIn("| net_concurrent | http, 100 conns, duration_ms 500 | sqpoll | plain + SQPOLL | – | "
                      "skipped: ring configuration 'sqpoll': SQPOLL refused | – | – | – |", md)
        self.assertIn("| linked_chain | chunk 64 KiB | linked | + linked ops | 6 | 2,000 [2,000, 2,000] MB/s | 2.00x | "
                      "– | 1 [1, 1] |", md)

    def test_no_ablation_no_section(self):
        self.assertEqual(ablation.markdown(gbjson.parse(helpers.gb_doc({}))), "")


class AblationChartsAndReport(unittest.TestCase):
    def test_plot_and_report(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "run")
            os.makedirs(run)
            shutil.copy(helpers.FIXTURE, os.path.join(run, "bench.json"))
            helpers.write_json(os.path.join(run, ablation.ABLATION_JSON), synthetic())
            p = helpers.run_script("plot.py", "--no-history", run)
            self.assertEqual(p.returncode, 0, p.stderr)
            pngs = sorted(f for f in os.listdir(run) if f.startswith("ablation-"))
            self.assertEqual(pngs, ["ablation-linked_chain-chunk_64_KiB.png",
                                    "ablation-net_concurrent-http__100_conns__duration_ms_500.png"])
            r = helpers.run_script("report.py", run)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(run, "REPORT.md"), encoding="utf-8") as f:
                md = f.read()
            self.assertIn("## Ablation: what each io_uring feature buys", md)
            self.assertIn("![ablation · net_concurrent · http, 100 conns, duration_ms 500]"
                          "(ablation-net_concurrent-http__100_conns__duration_ms_500.png)", md)
            self.assertIn("*not shown: sqpoll (skipped: ring configuration 'sqpoll': SQPOLL refused)*", md)


if __name__ == "__main__":
    unittest.main()
