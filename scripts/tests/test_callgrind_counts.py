"""Proves callgrind_counts.py: each benchmark is run once under callgrind and its instruction
total lands in a Google-Benchmark-like JSON that compare.py reads; the same work gives the same
count; a command that fails under valgrind is recorded as failed (exit 1); listing comes from
--benchmark_list_tests. Needs valgrind (CTest reports a skip without it)."""
import json
import os
import stat
import tempfile
import unittest

import helpers
from benchlib import callgrind, gbjson

# A stand-in for a Google Benchmark binary: lists two benchmarks, runs any of them.
FAKE_BENCH = """#!/bin/sh
for a in "$@"; do
  case $a in
    --benchmark_list_tests=true) echo BM_alpha; echo BM_beta; exit 0 ;;
    --benchmark_filter=*BM_fail*) exit 3 ;;
  esac
done
exit 0
"""


class CallgrindCounts(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.fake = os.path.join(self.tmp.name, "fake_bench")
        with open(self.fake, "w") as f:
            f.write(FAKE_BENCH)
        os.chmod(self.fake, stat.S_IRWXU)
        self.out = os.path.join(self.tmp.name, "instructions.json")

    def load(self):
        with open(self.out, encoding="utf-8") as f:
            return json.load(f)

    def test_named_benchmarks_are_counted_deterministically(self):
        r = helpers.run_script("callgrind_counts.py", "--out", self.out, "--benchmark", "BM_a", "--benchmark", "BM_b",
                               "--", "/bin/true", "{filter}")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = self.load()
        self.assertEqual(doc["context"]["tool"], "callgrind")
        self.assertEqual(doc["context"]["command"], "/bin/true '{filter}'")   # shlex-quoted, for reuse
        a, b = doc["benchmarks"]
        self.assertEqual((a["name"], b["name"]), ("BM_a", "BM_b"))
        self.assertGreater(a["instructions"], 10_000)
        self.assertEqual(a["instructions"], b["instructions"])   # same work, same count
        results = gbjson.load(self.out)
        self.assertEqual(results.benchmarks[0].key_metric(), "instructions")

    def test_benchmarks_are_listed_by_the_binary(self):
        r = helpers.run_script("callgrind_counts.py", "--out", self.out, "--filter", "BM_", "--", self.fake)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([e["name"] for e in self.load()["benchmarks"]], ["BM_alpha", "BM_beta"])

    def test_a_failing_benchmark_is_recorded_as_failed(self):
        r = helpers.run_script("callgrind_counts.py", "--out", self.out, "--benchmark", "BM_fail", "--", self.fake)
        self.assertEqual(r.returncode, 1)
        entry = self.load()["benchmarks"][0]
        self.assertTrue(entry["error_occurred"])
        self.assertTrue(entry["error_message"].startswith("failed: exit 3 under callgrind"), entry["error_message"])

    def test_usage_errors(self):
        self.assertEqual(helpers.run_script("callgrind_counts.py", "--out", self.out).returncode, 2)
        self.assertEqual(helpers.run_script("callgrind_counts.py", "--out", self.out, "--").returncode, 2)


class CallgrindOutputFormat(unittest.TestCase):
    def test_summary_line_gives_the_ir_total(self):
        with tempfile.NamedTemporaryFile("w", suffix=".out", delete=False) as f:
            f.write("version: 1\ncreator: callgrind-3.19.0\nevents: Ir Dr\n\nfn=main\n1 5 2\n\nsummary: 12345 678\n"
                    "totals: 12345 678\n")
        self.addCleanup(os.remove, f.name)
        self.assertEqual(callgrind.total(f.name), 12345)
        self.assertEqual(callgrind.total(f.name, "Dr"), 678)
        with self.assertRaises(ValueError):
            callgrind.total(f.name, "Bc")


if __name__ == "__main__":
    unittest.main()
