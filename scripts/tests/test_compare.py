"""Proves compare.py: a planted slowdown under noise is caught (exit 1), identical distributions
are not flagged (and the U test's false-alarm rate over many seeds is near alpha), too few
repetitions is a clear error (exit 2), direction matters (throughput down is bad, up is good),
deterministic counts are judged at the tight threshold without a test, and benchmarks on one
side only are listed, not judged. Synthetic samples, fixed seeds: deterministic."""
import os
import tempfile
import unittest

import numpy as np

import helpers
from benchlib import comparison, gbjson

REPS = 15
NOISE = 0.03


def noisy(rng, mean, n=REPS, noise=NOISE):
    return list(mean * (1 + noise * rng.standard_normal(n)))


class CompareCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, samples, **kw):
        return helpers.write_json(os.path.join(self.tmp.name, name), helpers.gb_doc(samples, **kw))

    def compare(self, base, cur, *args):
        return helpers.run_script("compare.py", base, cur, *args)

    def test_planted_five_percent_slowdown_is_detected(self):
        # A true 5% change lands above a 5% threshold only half the time (the measured change is
        # 5% +- noise), so the threshold is set below the slowdown that must be caught.
        rng = np.random.default_rng(1)
        base = self.write("base.json", {"BM_submit/64": {"real_time": noisy(rng, 1000.0)},
                                        "BM_reap/64": {"real_time": noisy(rng, 500.0)}})
        cur = self.write("cur.json", {"BM_submit/64": {"real_time": noisy(rng, 1050.0)},
                                      "BM_reap/64": {"real_time": noisy(rng, 500.0)}})
        r = self.compare(base, cur, "--threshold", "3")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.startswith("BM_")}
        self.assertIn("REGRESSED", lines["BM_submit/64"])
        self.assertNotIn("REGRESSED", lines["BM_reap/64"])
        self.assertIn("1 regression in 2 comparisons", r.stdout)

    def test_slowdown_well_beyond_the_default_threshold_is_detected(self):
        rng = np.random.default_rng(2)
        base = self.write("base.json", {"BM_x": {"real_time": noisy(rng, 1000.0)}})
        cur = self.write("cur.json", {"BM_x": {"real_time": noisy(rng, 1100.0)}})
        self.assertEqual(self.compare(base, cur).returncode, 1)

    def test_identical_distributions_pass(self):
        for seed in range(5):
            rng = np.random.default_rng(100 + seed)
            base = self.write("base.json", {f"BM_{i}": {"real_time": noisy(rng, 1000.0)} for i in range(10)})
            cur = self.write("cur.json", {f"BM_{i}": {"real_time": noisy(rng, 1000.0)} for i in range(10)})
            r = self.compare(base, cur)
            self.assertEqual(r.returncode, 0, f"seed {seed}:\n{r.stdout}")

    def test_the_same_file_passes_and_markdown_says_so(self):
        r = self.compare(helpers.FIXTURE, helpers.FIXTURE, "--markdown")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("### Performance check: passed: no regressions"), r.stdout[:200])

    def test_too_few_repetitions_is_a_clear_error(self):
        rng = np.random.default_rng(3)
        base = self.write("base.json", {"BM_x": {"real_time": noisy(rng, 1000.0, n=3)}})
        cur = self.write("cur.json", {"BM_x": {"real_time": noisy(rng, 1000.0, n=15)}})
        r = self.compare(base, cur)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not enough repetitions", r.stderr)
        self.assertIn("BM_x [real_time]: 3 baseline and 15 current repetitions; at least 4", r.stderr)

    def test_too_few_repetitions_can_be_listed_as_not_judged(self):
        rng = np.random.default_rng(3)
        base = self.write("base.json", {"BM_x": {"real_time": noisy(rng, 1000.0, n=3)},
                                        "BM_y": {"real_time": noisy(rng, 1000.0, n=5)}})
        cur = self.write("cur.json", {"BM_x": {"real_time": noisy(rng, 2000.0, n=3)},
                                      "BM_y": {"real_time": noisy(rng, 1500.0, n=5)}})
        self.assertIn("--skip-few-samples", self.compare(base, cur).stderr)
        r = self.compare(base, cur, "--skip-few-samples")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)  # BM_y, with 5 a side, still regresses
        lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.startswith("BM_")}
        self.assertIn("REGRESSED", lines["BM_y"])
        self.assertIn("not judged (too few repetitions for the test (at least 4 a side))", lines["BM_x"])
        self.assertIn("3/3", lines["BM_x"])

    def test_throughput_is_direction_aware(self):
        rng = np.random.default_rng(4)
        base = self.write("base.json", {"file_read/ringcore/block:4096": {"bytes_per_second": noisy(rng, 2e9)}})
        faster = self.write("up.json", {"file_read/ringcore/block:4096": {"bytes_per_second": noisy(rng, 2.4e9)}})
        slower = self.write("down.json", {"file_read/ringcore/block:4096": {"bytes_per_second": noisy(rng, 1.6e9)}})
        up = self.compare(base, faster)
        self.assertEqual(up.returncode, 0, up.stdout)
        self.assertIn("improved", up.stdout)
        down = self.compare(base, slower)
        self.assertEqual(down.returncode, 1, down.stdout)
        self.assertIn("bytes_per_second", down.stdout)

    def test_benchmarks_on_one_side_are_listed_not_judged(self):
        rng = np.random.default_rng(5)
        base = self.write("base.json", {"BM_common": {"real_time": noisy(rng, 10.0)},
                                        "BM_removed": {"real_time": noisy(rng, 10.0)}})
        cur = self.write("cur.json", {"BM_common": {"real_time": noisy(rng, 10.0)},
                                      "BM_added": {"real_time": noisy(rng, 99.0)}})
        r = self.compare(base, cur)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertRegex(r.stdout, r"BM_removed .*not judged \(only in the baseline\)")
        self.assertRegex(r.stdout, r"BM_added .*not judged \(only in the current run\)")

    def test_skipped_and_failed_benchmarks_are_not_judged(self):
        rng = np.random.default_rng(6)
        doc = helpers.gb_doc({"net_sequential/ringcore/proto:echo": {"requests_per_second": noisy(rng, 4e4)}})
        base = helpers.write_json(os.path.join(self.tmp.name, "base.json"), doc)
        doc["benchmarks"] = helpers.error_entries("net_sequential/ringcore/proto:echo", "failed: server crashed")
        cur = helpers.write_json(os.path.join(self.tmp.name, "cur.json"), doc)
        r = self.compare(base, cur)
        self.assertEqual(r.returncode, 0)
        self.assertIn("failed in the current run: server crashed", r.stdout)

    def test_unreadable_input_is_exit_2(self):
        bad = os.path.join(self.tmp.name, "bad.json")
        with open(bad, "w") as f:
            f.write("{not json")
        r = self.compare(bad, helpers.FIXTURE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not valid JSON", r.stderr)


class ExactMetrics(unittest.TestCase):
    """Counts that do not vary between repetitions: tight threshold, no significance test; syscall
    counts only where repetitions show that they do not vary."""

    def judge(self, metric, base, cur, **opts):
        return comparison.judge("b", metric, base, cur, comparison.Options(**opts))

    def test_instructions_beyond_two_percent_regress_from_one_sample(self):
        self.assertEqual(self.judge("instructions", [1_000_000], [1_025_000]).verdict, comparison.REGRESSED)
        self.assertEqual(self.judge("instructions", [1_000_000], [1_015_000]).verdict, comparison.UNCHANGED)
        self.assertEqual(self.judge("instructions", [1_000_000], [970_000]).verdict, comparison.IMPROVED)
        self.assertIsNone(self.judge("instructions", [1_000_000], [1_025_000]).pvalue)

    def test_constant_syscalls_per_op_regress_at_the_tight_threshold(self):
        r = self.judge("syscalls_per_op", [1.0] * 5, [1.03] * 5)
        self.assertEqual((r.verdict, r.test), (comparison.REGRESSED, "none (deterministic)"))
        self.assertEqual(self.judge("syscalls_per_op", [1.0] * 5, [1.01] * 5).verdict, comparison.UNCHANGED)

    def test_varying_counts_fall_back_on_the_u_test(self):
        rng = np.random.default_rng(7)
        base = noisy(rng, 2.0, n=5, noise=0.05)
        cur = noisy(rng, 2.0, n=5, noise=0.05)
        r = self.judge("syscalls_per_op", base, cur)
        self.assertTrue(r.test.startswith("U "))
        self.assertNotEqual(r.verdict, comparison.REGRESSED)

    def test_one_syscall_count_a_side_is_shown_not_judged(self):
        # The runner's default --syscalls first counts one repetition per benchmark: whether a network
        # run's count repeats exactly cannot be seen from one count, and it usually does not.
        r = self.judge("syscalls_per_op", [1.0], [1.5])
        self.assertEqual(r.verdict, comparison.NOT_JUDGED)
        self.assertAlmostEqual(r.change_pct, 50.0)
        self.assertEqual((r.base_median, r.cur_median, r.n_base, r.n_cur), (1.0, 1.5, 1, 1))
        self.assertIn("--syscalls every", r.note)
        self.assertEqual(self.judge("syscalls", [100], [90]).verdict, comparison.NOT_JUDGED)

    def test_one_count_against_repetitions_that_agree_is_judged_exactly(self):
        r = self.judge("syscalls_per_op", [1.0] * 5, [1.03])
        self.assertEqual((r.verdict, r.test), (comparison.REGRESSED, "none (deterministic)"))
        self.assertEqual(self.judge("syscalls_per_op", [1.0], [1.01] * 5).verdict, comparison.UNCHANGED)

    def test_varying_counts_too_few_for_the_test_are_not_judged(self):
        r = self.judge("syscalls_per_op", [1.0, 1.1, 1.2, 1.05, 1.15], [1.5])
        self.assertEqual(r.verdict, comparison.NOT_JUDGED)
        self.assertIn("vary", r.note)

    def test_two_default_runs_with_different_network_counts_pass(self):
        rng = np.random.default_rng(9)
        def run(syscalls):
            doc = helpers.gb_doc({"net_concurrent/ringcore/proto:http/conns:100": {
                "requests_per_second": noisy(rng, 1.5e5, n=5)}})
            counting = dict(doc["benchmarks"][0], repetition_index=5, syscall_count_run=1,
                            syscalls_per_op=syscalls)
            doc["benchmarks"].append(counting)
            return gbjson.parse(doc)
        rows, problems = comparison.compare(run(0.08), run(0.24))
        self.assertEqual(problems, [])
        by_metric = {r.metric: r for r in rows}
        self.assertEqual(by_metric["syscalls_per_op"].verdict, comparison.NOT_JUDGED)
        self.assertEqual((by_metric["syscalls_per_op"].n_base, by_metric["syscalls_per_op"].n_cur), (1, 1))
        self.assertNotIn(comparison.REGRESSED, [r.verdict for r in rows])

    def test_callgrind_counts_compare_through_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            def counts(name, ir):
                doc = {"context": {"tool": "callgrind"}, "benchmarks": [
                    {"name": "BM_nop", "run_name": "BM_nop", "run_type": "iteration", "repetitions": 1,
                     "repetition_index": 0, "iterations": 1000, "instructions": ir}]}
                return helpers.write_json(os.path.join(tmp, name), doc)
            base = counts("base.json", 5_000_000)
            self.assertEqual(helpers.run_script("compare.py", base, counts("same.json", 5_000_000)).returncode, 0)
            worse = helpers.run_script("compare.py", base, counts("worse.json", 5_150_000))
            self.assertEqual(worse.returncode, 1, worse.stdout + worse.stderr)
            self.assertIn("instructions", worse.stdout)

    def test_unavailable_syscalls_are_listed_not_judged(self):
        rng = np.random.default_rng(8)
        doc = helpers.gb_doc({"net_sequential/nginx/proto:http": {
            "requests_per_second": noisy(rng, 3e4, n=5), "syscalls_per_op": [-1] * 5}})
        results = gbjson.parse(doc)
        rows, problems = comparison.compare(results, results)
        self.assertEqual(problems, [])
        syscalls = [r for r in rows if r.metric == "syscalls_per_op"]
        self.assertEqual(len(syscalls), 1)
        self.assertEqual(syscalls[0].verdict, comparison.NOT_JUDGED)
        self.assertIn("unavailable", syscalls[0].note)


class FalseAlarms(unittest.TestCase):
    def test_u_test_false_alarm_rate_is_near_alpha(self):
        # Identical distributions, 2,000 seeds: the share of p < 0.05 estimates the test's size.
        # The binomial standard error at 2,000 draws is 0.5%; the continuity correction makes the
        # test slightly conservative, hence the asymmetric band.
        alarms = 0
        trials = 2000
        for seed in range(trials):
            rng = np.random.default_rng(seed)
            r = comparison.judge("b", "real_time", noisy(rng, 1000.0), noisy(rng, 1000.0), comparison.Options())
            alarms += r.pvalue < 0.05
        self.assertGreater(alarms / trials, 0.030)
        self.assertLess(alarms / trials, 0.065)

    def test_regression_verdicts_on_identical_distributions_are_rarer_than_alpha(self):
        regressions = sum(
            comparison.judge("b", "real_time", noisy(rng, 1000.0), noisy(rng, 1000.0),
                             comparison.Options()).verdict == comparison.REGRESSED
            for rng in (np.random.default_rng(10_000 + s) for s in range(500)))
        self.assertLessEqual(regressions / 500, 0.05)

    def test_five_percent_slowdown_power_at_a_three_percent_threshold(self):
        caught = sum(
            comparison.judge("b", "real_time", noisy(rng, 1000.0), noisy(rng, 1050.0),
                             comparison.Options(threshold=3.0)).verdict == comparison.REGRESSED
            for rng in (np.random.default_rng(20_000 + s) for s in range(200)))
        self.assertGreaterEqual(caught / 200, 0.9)


if __name__ == "__main__":
    unittest.main()
