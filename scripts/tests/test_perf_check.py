"""Proves ci/perf-check without running the real benchmarks: identical results pass (exit 0), a
planted time regression is shown but gated only under --gate all (exit 1), a missing baseline is exit 2,
the benchmark command's output folder is found, and instruction counts are compared too."""
import json
import os
import shutil
import tempfile
import unittest

import helpers

PERF_CHECK = "ci/perf-check"


def planted_regression(path, benchmark="net_concurrent/ringcore/proto:http/conns:1000", factor=0.85):
    with open(helpers.FIXTURE, encoding="utf-8") as f:
        doc = json.load(f)
    for e in doc["benchmarks"]:
        if e["run_name"].startswith(benchmark + "/") and e["run_type"] == "iteration":
            e["requests_per_second"] *= factor
    return helpers.write_json(path, doc)


class PerfCheck(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.baseline = os.path.join(self.tmp.name, "baseline")
        os.makedirs(self.baseline)
        shutil.copy(helpers.FIXTURE, os.path.join(self.baseline, "bench.json"))

    def test_identical_results_pass(self):
        r = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", helpers.FIXTURE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("### Performance check: passed", r.stdout)

    def test_planted_time_regression_is_reported_but_not_gated_by_default(self):
        # Time-like figures drift 20-30% between unchanged runs on shared VMs: the default gate
        # shows them, and only deterministic counts fail the check.
        current = planted_regression(os.path.join(self.tmp.name, "current.json"))
        r = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", current)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("### Performance check: passed", r.stdout)
        self.assertRegex(r.stdout, r"\| net_concurrent/ringcore/proto:http/conns:1000 \| requests_per_second ↑ \| "
                                   r"190 k req/s \| 16\d k req/s \| -15.0% \| 5% \| [0-9.]+ \| 5/5 \| worse, not gated \|")

    def test_planted_regression_fails_under_gate_all(self):
        current = planted_regression(os.path.join(self.tmp.name, "current.json"))
        r = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", current, "--gate", "all")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("### Performance check: FAILED: 1 regression", r.stdout)
        self.assertRegex(r.stdout, r"\| net_concurrent/ringcore/proto:http/conns:1000 \| requests_per_second ↑ \| "
                                   r"190 k req/s \| 16\d k req/s \| -15.0% \| 5% \| [0-9.]+ \| 5/5 \| REGRESSED \|")

    def test_compare_options_pass_through(self):
        current = planted_regression(os.path.join(self.tmp.name, "current.json"))
        r = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", current, "--gate", "all", "--",
                               "--threshold", "20")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_missing_baseline_is_exit_2(self):
        r = helpers.run_script(PERF_CHECK, "--baseline", os.path.join(self.tmp.name, "none"), "--current",
                               helpers.FIXTURE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no baseline", r.stderr)

    def test_runs_the_benchmark_command_and_finds_its_output(self):
        env_cmd = f"mkdir -p $PERF_CHECK_OUT/2026-11-25-abc && cp {helpers.FIXTURE} $PERF_CHECK_OUT/2026-11-25-abc/"
        os.environ["PERF_CHECK_BENCH_CMD"] = env_cmd
        try:
            r = helpers.run_script(PERF_CHECK, "--baseline", self.baseline)
        finally:
            del os.environ["PERF_CHECK_BENCH_CMD"]
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("running the quick profile", r.stderr)

    def test_instruction_counts_are_compared(self):
        def counts(path, ir):
            return helpers.write_json(path, {"context": {"tool": "callgrind", "command": "/bin/true {filter}"},
                                             "benchmarks": [{"name": "BM_nop", "run_name": "BM_nop",
                                                             "run_type": "iteration", "repetitions": 1,
                                                             "repetition_index": 0, "instructions": ir}]})
        counts(os.path.join(self.baseline, "instructions.json"), 1_000_000)
        same = counts(os.path.join(self.tmp.name, "same.json"), 1_000_000)
        more = counts(os.path.join(self.tmp.name, "more.json"), 1_030_000)
        ok = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", helpers.FIXTURE,
                                "--current-instructions", same)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("#### Instruction counts (callgrind)", ok.stdout)
        bad = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", helpers.FIXTURE,
                                 "--current-instructions", more)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn("| BM_nop | instructions ↓ | 1 M instr | 1.03 M instr | +3.0% | 2% | no test |", bad.stdout)
        skipped = helpers.run_script(PERF_CHECK, "--baseline", self.baseline, "--current", helpers.FIXTURE)
        self.assertEqual(skipped.returncode, 0)
        self.assertIn("Instruction counts: not compared (--current given without --current-instructions)",
                      skipped.stdout)

    @unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
    def test_instruction_counts_are_measured_with_the_recorded_command(self):
        # The baseline was "counted" with /bin/true; perf-check reruns that command under callgrind.
        cg = helpers.run_script("callgrind_counts.py", "--out", os.path.join(self.baseline, "instructions.json"),
                                "--benchmark", "BM_true", "--", "/bin/true", "{filter}")
        self.assertEqual(cg.returncode, 0, cg.stderr)
        env_cmd = f"cp {helpers.FIXTURE} $PERF_CHECK_OUT/bench.json"
        os.environ["PERF_CHECK_BENCH_CMD"] = env_cmd
        try:
            r = helpers.run_script(PERF_CHECK, "--baseline", self.baseline)
        finally:
            del os.environ["PERF_CHECK_BENCH_CMD"]
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("counting instructions: /bin/true {filter}", r.stderr)
        self.assertIn("#### Instruction counts (callgrind)", r.stdout)
        self.assertIn("passed: no regressions in 1 comparisons", r.stdout)


if __name__ == "__main__":
    unittest.main()
