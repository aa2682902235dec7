"""Proves benchlib.stats: Mann-Whitney U p-values equal published reference values (R's wilcox.test
and scipy.stats.mannwhitneyu), the exact null distribution equals Mann & Whitney's table, and the
median interval picks the textbook order statistics."""
import math
import unittest

import numpy as np

import helpers  # noqa: F401  (puts scripts/ on sys.path)
from benchlib import stats


class MannWhitneyReferenceValues(unittest.TestCase):
    def check(self, x, y, u1, p, method="auto", use_continuity=True, expect_method=None):
        r = stats.mann_whitney_u(x, y, method=method, use_continuity=use_continuity)
        self.assertEqual(r.u1, u1)
        self.assertAlmostEqual(r.pvalue, p, delta=1e-12 + 1e-10 * p)
        if expect_method:
            self.assertEqual(r.method, expect_method)

    def test_shier_diabetes_example(self):
        # scipy.stats.mannwhitneyu docstring example, data from R. Shier, "Statistics: 2.3 The
        # Mann-Whitney U Test", Mathematics Learning Support Centre, 2004 (U = 17, exact p = 0.111).
        males, females = [19, 22, 16, 29, 24], [20, 11, 17, 12]
        self.check(males, females, 17.0, 0.1111111111111111, expect_method="exact")            # auto: small, no ties
        self.check(males, females, 17.0, 0.11134688653314041, method="asymptotic")
        self.check(males, females, 17.0, 0.0864107329737, method="asymptotic", use_continuity=False)

    def test_r_wilcox_small_vs_large_sample(self):
        # R: x = c(210.052110, 110.190630, 307.918612); y = c(...13 values...);
        # wilcox.test(x, y, exact=TRUE) and exact=FALSE (scipy test_mannwhitneyu.py, cases_basic).
        x = [210.052110, 110.190630, 307.918612]
        y = [436.08811482466416, 416.37397329768191, 179.96975939463582, 197.8118754228619,
             34.038757281225756, 138.54220550921517, 128.7769351470246, 265.92721427951852,
             275.6617533155341, 592.34083395416258, 448.73177590617018, 300.61495185038905,
             187.97508449019588]
        self.check(x, y, 16.0, 0.7035714285714, method="exact")
        self.check(x, y, 16.0, 0.7035714285714, expect_method="exact")
        self.check(x, y, 16.0, 0.6865041817876, method="asymptotic")

    def test_r_wilcox_ties_use_the_tie_corrected_normal_approximation(self):
        # R: wilcox.test(c(1, 2, 3, 4), c(1, 2, 3, 4, 5), exact=FALSE) (scipy test_tie_correct).
        self.check([1, 2, 3, 4], [1, 2, 3, 4, 5], 8.0, 0.7086240584439, expect_method="asymptotic")
        # R: wilcox.test(c(1, 2, 3, 4), c(3, 6, 7, 8, Inf, 3, 2, 1, 4, 4, 5), exact=FALSE) (scipy gh-11355).
        self.check([1., 2, 3, 4], [3, 6, 7, 8, np.inf, 3, 2, 1, 4, 4, 5], 10.0, 0.1297704873477)

    def test_r_wilcox_gh9184(self):
        # R: x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46);
        #    y <- c(1.15, 0.88, 0.90, 0.74, 1.21); wilcox.test(x, y, exact = TRUE / FALSE, correct = ...)
        x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
        y = [1.15, 0.88, 0.90, 0.74, 1.21]
        self.check(x, y, 35.0, 0.2544122544123, expect_method="exact")
        self.check(x, y, 35.0, 0.244623605127, method="asymptotic")
        self.check(x, y, 35.0, 0.2206713619198, method="asymptotic", use_continuity=False)

    def test_r_wilcox_heavy_ties(self):
        # R: wilcox.test(x, y) on two long samples of 1s, 2s and 3s (scipy test_mannwhitneyu_ones, gh-1428).
        x = [1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 2., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 2., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 2.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 2., 1., 1., 1., 1., 2., 1., 1., 2., 1., 1., 2.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 2., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 2., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 2., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 3., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1.]
        y = [1., 1., 1., 1., 1., 1., 1., 2., 1., 2., 1., 1., 1., 1.,
             2., 1., 1., 1., 2., 1., 1., 1., 1., 1., 2., 1., 1., 3.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 2., 1., 2., 1.,
             1., 1., 1., 1., 1., 2., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 2., 1., 1., 1., 1., 1., 2.,
             2., 1., 1., 2., 1., 1., 2., 1., 2., 1., 1., 1., 1., 2.,
             2., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             1., 2., 1., 1., 1., 1., 1., 2., 2., 2., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., 1.,
             2., 1., 1., 2., 1., 1., 1., 1., 2., 1., 1., 1., 1., 1.,
             1., 1., 1., 1., 1., 1., 1., 2., 1., 1., 1., 2., 1., 1.,
             1., 1., 1., 1.]
        self.check(x, y, 16980.5, 5.642865531266e-5)

    def test_all_values_equal_gives_p_one(self):
        self.assertEqual(stats.mann_whitney_u([3, 3, 3, 3], [3, 3, 3, 3]).pvalue, 1.0)
        self.assertEqual(stats.mann_whitney_u([1, 2, 3], [1.5, 2.5], method="exact").pvalue, 1.0)

    def test_exact_distribution_matches_mann_whitney_table(self):
        # P(U <= u) for sample sizes (m, n), from H.B. Mann and D.R. Whitney (1947), p. 52, as
        # transcribed in scipy's test_mannwhitneyu.py (pn3, pn4, pm5).
        table = {(3, 3): [0.05, .1, 0.2, 0.35, 0.5, 0.65],
                 (4, 4): [0.014, 0.029, 0.057, 0.1, 0.171, 0.243, 0.343, 0.443, 0.557],
                 (3, 5): [0.018, 0.036, 0.071, 0.125, 0.196, 0.286, 0.393, 0.5, 0.607]}
        for (m, n), cdf in table.items():
            counts = stats._u_counts(m, n)
            self.assertEqual(sum(counts), math.comb(m + n, m))
            self.assertEqual(counts, counts[::-1])          # symmetric about m n / 2
            cumulative = np.cumsum(counts) / math.comb(m + n, m)
            np.testing.assert_allclose(cumulative[:len(cdf)], cdf, atol=1e-3)


class Ranks(unittest.TestCase):
    def test_ties_share_the_average_rank(self):
        ranks, ties = stats.rank_average([10, 20, 20, 5, 20])
        self.assertEqual(list(ranks), [2.0, 4.0, 4.0, 1.0, 4.0])
        self.assertEqual(sorted(ties.tolist()), [1, 1, 3])


class MedianInterval(unittest.TestCase):
    def test_fifteen_samples_use_the_4th_and_12th(self):
        ci = stats.median_ci(list(range(100, 115))[::-1])
        self.assertEqual((ci.low, ci.high), (103.0, 111.0))
        self.assertAlmostEqual(ci.coverage, 1 - 2 * 576 / 2 ** 15)   # 0.9648

    def test_below_six_samples_is_min_max_with_its_lower_coverage(self):
        ci = stats.median_ci([5, 1, 4, 2, 3])
        self.assertEqual((ci.low, ci.high), (1.0, 5.0))
        self.assertAlmostEqual(ci.coverage, 0.9375)

    def test_hundred_samples(self):
        ci = stats.median_ci(range(1, 101))
        self.assertEqual((ci.low, ci.high), (40.0, 61.0))   # the standard x(40), x(61)
        self.assertGreaterEqual(ci.coverage, 0.95)

    def test_empty_and_single(self):
        self.assertIsNone(stats.median_ci([]))
        self.assertEqual(stats.median_ci([7]).low, 7.0)


if __name__ == "__main__":
    unittest.main()
