"""Proves the report's "ringcore against Tokio" piece: the ratio is oriented so that above 1 means
ringcore is better (throughput up, time down), its interval is the distribution-free one of
stats.ratio_ci, the verdict is a win, a loss or no clear difference by that interval, and the section
names each comparison; a run without Tokio has no such section."""
import unittest

import helpers
from benchlib import gbjson, report_md, stats, summary

RPS_RINGCORE = [100e3, 102e3, 98e3, 101e3, 99e3]
RPS_TOKIO_CT = [50e3, 51e3, 49e3, 50.5e3, 49.5e3]          # ringcore twice as fast
RPS_TOKIO_MT = [99e3, 103e3, 97e3, 100e3, 101e3]           # indistinguishable
FILE_NS_RINGCORE = [2.0e6, 2.1e6, 1.9e6, 2.05e6, 1.95e6]
FILE_NS_TOKIO_CT = [1.0e6, 1.02e6, 0.98e6, 1.01e6, 0.99e6]  # Tokio twice as fast (ringcore loses, 0.5x)


def results(with_tokio=True):
    samples = {
        "net_sequential/ringcore/proto:http": {"requests_per_second": RPS_RINGCORE},
        "file_read/ringcore/block:65536": {"bytes_per_second": [1e9 / t for t in FILE_NS_RINGCORE],
                                           "real_time": FILE_NS_RINGCORE},
    }
    if with_tokio:
        samples.update({
            "net_sequential/tokio_ct/proto:http": {"requests_per_second": RPS_TOKIO_CT},
            "net_sequential/tokio_mt/proto:http": {"requests_per_second": RPS_TOKIO_MT},
            "file_read/tokio_ct/block:65536": {"bytes_per_second": [1e9 / t for t in FILE_NS_TOKIO_CT],
                                               "real_time": FILE_NS_TOKIO_CT},
        })
    return gbjson.parse(helpers.gb_doc(samples))


class RatioInterval(unittest.TestCase):
    def test_hodges_lehmann_ratio_and_exact_moses_interval(self):
        r = stats.ratio_ci(RPS_RINGCORE, RPS_TOKIO_CT)
        self.assertAlmostEqual(r.estimate, 2.0, places=6)
        # n = 5 + 5: k = 3 (2 P(U <= 2) = 8/252 <= 0.05 < 14/252), so the 3rd smallest and largest of
        # the 25 pairwise ratios, with coverage 1 - 8/252.
        ratios = sorted(a / b for a in RPS_RINGCORE for b in RPS_TOKIO_CT)
        self.assertAlmostEqual(r.low, ratios[2], places=9)
        self.assertAlmostEqual(r.high, ratios[-3], places=9)
        self.assertAlmostEqual(r.coverage, 1 - 8 / 252, places=12)

    def test_too_few_samples_give_the_whole_range_with_less_coverage(self):
        r = stats.ratio_ci([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
        self.assertAlmostEqual(r.low, 1 / 3)
        self.assertAlmostEqual(r.high, 3.0)
        self.assertAlmostEqual(r.coverage, 0.9)

    def test_non_positive_values_have_no_ratio(self):
        self.assertIsNone(stats.ratio_ci([1.0, 0.0], [1.0, 2.0]))


class VersusTokio(unittest.TestCase):
    def setUp(self):
        self.comparisons = {(c.variant.workload, c.other): c for c in summary.versus_tokio(results())}

    def test_each_variant_is_compared_with_each_tokio_flavour_that_ran(self):
        self.assertEqual(sorted(self.comparisons), [("file_read", "tokio_ct"), ("net_sequential", "tokio_ct"),
                                                    ("net_sequential", "tokio_mt")])

    def test_throughput_advantage_above_one_is_a_win(self):
        c = self.comparisons[("net_sequential", "tokio_ct")]
        self.assertEqual(c.metric, "requests_per_second")
        self.assertAlmostEqual(c.advantage.estimate, 2.0, places=6)
        self.assertEqual(c.verdict, summary.WINS)

    def test_lower_is_better_metrics_are_inverted_and_a_loss_is_named(self):
        c = self.comparisons[("file_read", "tokio_ct")]
        self.assertEqual(c.metric, "bytes_per_second")
        self.assertAlmostEqual(c.advantage.estimate, 0.5, places=6)
        self.assertLess(c.advantage.high, 1)
        self.assertEqual(c.verdict, summary.LOSES)

    def test_overlapping_samples_are_no_clear_difference(self):
        c = self.comparisons[("net_sequential", "tokio_mt")]
        self.assertLessEqual(c.advantage.low, 1)
        self.assertGreaterEqual(c.advantage.high, 1)
        self.assertEqual(c.verdict, summary.TIE)


class ReportSection(unittest.TestCase):
    def test_section_names_wins_losses_and_ratios(self):
        md = report_md.versus_tokio_section(results())
        self.assertIn("## ringcore against Tokio", md)
        self.assertIn("* **ringcore beats Tokio** (1 of 3): net_sequential http vs tokio_ct (2.00×)", md)
        self.assertIn("* **ringcore loses to Tokio** (1 of 3): file_read block 64 KiB vs tokio_ct (0.50×)", md)
        self.assertIn("* **no clear difference** (1 of 3): net_sequential http vs tokio_mt", md)
        row = next(line for line in md.splitlines() if line.startswith("| net_sequential") and "tokio_ct" in line)
        self.assertIn("| 2.00× |", row)
        self.assertIn("| wins |", row)

    def test_no_tokio_no_section(self):
        self.assertEqual(report_md.versus_tokio_section(results(with_tokio=False)), "")


if __name__ == "__main__":
    unittest.main()
