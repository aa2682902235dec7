"""Proves the calibrated-noise path: calibrate_noise.py records the largest change of the median
between a baseline and unchanged reruns, and compare.py --noise then lets a shift of that size pass
(it fails without the file) while a regression well beyond it, and any change of a deterministic
count, still fails. Synthetic samples, fixed seeds."""
import json
import os
import tempfile
import unittest

import numpy as np

import helpers

NAME = "net_concurrent/x/proto:http/conns:100"


def run_doc(rng, rps, syscalls=1.0, n=5):
    """One run: throughput with 1% spread inside the run, a constant syscall count."""
    return helpers.gb_doc({NAME: {"requests_per_second": list(rps * (1 + 0.01 * rng.standard_normal(n))),
                                  "syscalls_per_op": [syscalls] * n}})


class NoiseCalibration(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.rng = np.random.default_rng(11)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def write(self, name, doc):
        helpers.write_json(self.path(name), doc)
        return self.path(name)

    def test_a_drift_the_machine_makes_on_its_own_passes_only_with_the_noise_file(self):
        base = self.write("base.json", run_doc(self.rng, 100_000))
        # Unchanged reruns that drift by up to 12% as a whole (a shared VM on a busy day).
        reruns = [self.write(f"r{i}.json", run_doc(self.rng, 100_000 * f)) for i, f in enumerate((0.95, 0.88, 1.04))]
        noise = self.path("noise.json")
        r = helpers.run_script("calibrate_noise.py", base, *reruns, "--out", noise)
        self.assertEqual(r.returncode, 0, r.stderr)
        entries = {(e["benchmark"], e["metric"]): e["max_change_pct"] for e in json.load(open(noise))["entries"]}
        self.assertAlmostEqual(entries[(NAME, "requests_per_second")], 12.0, delta=1.5)
        self.assertEqual(entries[(NAME, "syscalls_per_op")], 0.0)

        drifted = self.write("drift.json", run_doc(self.rng, 100_000 * 0.89))
        self.assertEqual(helpers.run_script("compare.py", base, drifted).returncode, 1)  # U test + 5%: flagged
        self.assertEqual(helpers.run_script("compare.py", base, drifted, "--noise", noise).returncode, 0)

        collapsed = self.write("collapse.json", run_doc(self.rng, 100_000 * 0.70))  # -30% >> 1.5 x 12%
        self.assertEqual(helpers.run_script("compare.py", base, collapsed, "--noise", noise).returncode, 1)

        more_syscalls = self.write("sys.json", run_doc(self.rng, 100_000, syscalls=1.05))  # constant before
        r = helpers.run_script("compare.py", base, more_syscalls, "--noise", noise, "--markdown")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("syscalls", r.stdout)

    def test_the_deterministic_gate_reports_time_but_fails_only_on_counts(self):
        base = self.write("base.json", run_doc(self.rng, 100_000))
        slower = self.write("slow.json", run_doc(self.rng, 60_000))  # -40% throughput, same syscalls
        r = helpers.run_script("compare.py", base, slower, "--gate", "deterministic", "--markdown")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("worse, not gated", r.stdout)
        more_syscalls = self.write("sys.json", run_doc(self.rng, 100_000, syscalls=1.05))
        self.assertEqual(helpers.run_script("compare.py", base, more_syscalls, "--gate", "deterministic").returncode, 1)

    def test_too_few_reruns_is_a_clear_error(self):
        base = self.write("base.json", run_doc(self.rng, 1000))
        r = helpers.run_script("calibrate_noise.py", base, base, "--out", self.path("n.json"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("at least 3 reruns", r.stderr)

    def test_an_unreadable_noise_file_is_exit_2(self):
        base = self.write("base.json", run_doc(self.rng, 1000))
        bad = self.path("bad.json")
        with open(bad, "w") as f:
            f.write("{not json")
        r = helpers.run_script("compare.py", base, base, "--noise", bad)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
