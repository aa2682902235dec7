"""Medians, a distribution-free confidence interval of the median, and the Mann-Whitney U test.

Benchmark repetitions are few (5-30) and rarely normal (long right tails from interference), so
everything here is rank- or order-based rather than mean/stddev-based.

Mann-Whitney U follows scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="auto",
use_continuity=True), so p-values can be checked against scipy and R's wilcox.test:
  * ranks of the pooled samples, ties given their average rank; U1 = R1 - n1(n1+1)/2
  * method "auto": the exact null distribution when either sample has at most 8 values and there
    are no ties, else the normal approximation
  * exact: p = 2 P(U >= max(U1, U2)), clipped to 1; the distribution of U counts the arrangements
    of the two samples (Gaussian binomial coefficients, computed with Python's exact integers)
  * normal approximation: mean n1 n2 / 2, variance n1 n2 / 12 ((n+1) - sum(t^3 - t) / (n(n-1)))
    with t the sizes of the tie groups, continuity correction 0.5 towards the mean, p = 2 sf(z)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def median(values) -> float:
    return float(np.median(np.asarray(values, dtype=float)))


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    coverage: float   # the interval's actual confidence (>= the one asked for when n allows)


def median_ci(values, confidence: float = 0.95) -> Interval | None:
    """Binomial order-statistic interval for the median: [x_(k), x_(n+1-k)] with the largest k whose
    coverage P(k <= B <= n-k), B ~ Binomial(n, 1/2), is still >= `confidence`. Exact, distribution-free,
    and deterministic (no resampling, no seed). Below 6 samples no pair reaches 95%; the interval is
    then [min, max] and `coverage` says how much less it is (93.75% for n = 5)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0:
        return None
    if n == 1:
        return Interval(x[0], x[0], 0.0)
    weights = [math.comb(n, i) for i in range(n + 1)]
    total = 2 ** n
    best_k, best_cov = 1, (total - 2) / total           # [x_(1), x_(n)]
    for k in range(2, n // 2 + 1):
        cov = sum(weights[k:n - k + 1]) / total          # P(k <= B <= n-k)
        if cov < confidence:
            break
        best_k, best_cov = k, cov
    return Interval(float(x[best_k - 1]), float(x[n - best_k]), best_cov)


def rank_average(values) -> tuple[np.ndarray, np.ndarray]:
    """Ranks 1..n, tied values sharing their average rank; and the size of every tie group."""
    a = np.asarray(values, dtype=float)
    n = len(a)
    order = np.argsort(a, kind="mergesort")
    s = a[order]
    starts_group = np.r_[True, s[1:] != s[:-1]]
    first = np.flatnonzero(starts_group)            # 0-based index where each group starts
    end = np.r_[first[1:], n]                       # one past each group's end
    average = (first + 1 + end) / 2.0               # mean of the 1-based ranks first+1 .. end
    ranks = np.empty(n)
    ranks[order] = average[np.cumsum(starts_group) - 1]
    return ranks, end - first


def _u_counts(n1: int, n2: int) -> list[int]:
    """counts[u] = number of the C(n1+n2, n1) arrangements whose U statistic is u.
    Built as the Gaussian binomial [n1+n2 choose n1]_q, one factor (1 - q^(n2+i)) / (1 - q^i) at a
    time; every partial product is itself a Gaussian binomial, so all coefficients stay integers."""
    m, n = min(n1, n2), max(n1, n2)
    poly = [1]
    for i in range(1, m + 1):
        d = n + i
        grown = poly + [0] * n                      # degree rises from (i-1) n to i n
        multiplied = grown[:]                       # times (1 - q^d)
        for k in range(d, len(grown)):
            multiplied[k] -= grown[k - d]
        for k in range(i, len(multiplied)):         # divided by (1 - q^i): c[k] = a[k] + c[k-i]
            multiplied[k] += multiplied[k - i]
        poly = multiplied
    return poly


@dataclass(frozen=True)
class UTest:
    u1: float        # the statistic of the first sample (scipy's `statistic`)
    pvalue: float    # two-sided
    method: str      # "exact" or "asymptotic"


def mann_whitney_u(x, y, method: str = "auto", use_continuity: bool = True) -> UTest:
    """Two-sided Mann-Whitney U test (see the module docstring for the exact recipe)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("Mann-Whitney U needs at least one value in each sample")
    ranks, ties = rank_average(np.concatenate([x, y]))
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2)
    u2 = n1 * n2 - u1
    u = max(u1, u2)
    has_ties = bool((ties > 1).any())
    if method == "auto":
        method = "exact" if (min(n1, n2) <= 8 and not has_ties) else "asymptotic"
    if method == "exact":
        counts = _u_counts(n1, n2)
        at_least = sum(counts[int(math.ceil(u)):])
        p = 2 * at_least / math.comb(n1 + n2, n1)
    elif method == "asymptotic":
        n = n1 + n2
        tie_term = float((ties.astype(float) ** 3 - ties).sum())
        variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
        if variance <= 0:            # every value equal: no evidence of any difference
            return UTest(u1, 1.0, method)
        numerator = u - n1 * n2 / 2 - (0.5 if use_continuity else 0.0)
        z = numerator / math.sqrt(variance)
        p = math.erfc(z / math.sqrt(2))          # = 2 * (standard normal survival function at z)
    else:
        raise ValueError(f"unknown method {method!r} (auto, exact or asymptotic)")
    return UTest(u1, min(max(p, 0.0), 1.0), method)


@dataclass(frozen=True)
class Ratio:
    estimate: float    # Hodges-Lehmann: the median of every ratio x_i / y_j
    low: float
    high: float
    coverage: float    # the interval's actual confidence (< the one asked for when n is too small)


def ratio_ci(x, y, confidence: float = 0.95) -> Ratio | None:
    """How many times x is y, with a distribution-free interval: the Hodges-Lehmann estimate and the
    Moses interval of the shift between log x and log y (the interval that inverts the Mann-Whitney U
    test above, with its exact null distribution), taken back to a ratio. Order statistics of the
    n1 n2 pairwise log ratios: [d_(k), d_(N+1-k)] with the largest k whose two-sided tail
    2 P(U < k) stays <= 1 - confidence. Deterministic (no resampling). None unless every value is > 0."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) == 0 or len(y) == 0 or (x <= 0).any() or (y <= 0).any():
        return None
    d = np.sort((np.log(x)[:, None] - np.log(y)[None, :]).ravel())
    total = math.comb(len(x) + len(y), len(x))
    counts = _u_counts(len(x), len(y))
    k, below = 0, 0                                  # below = arrangements with U < k
    while k < len(d) // 2 and 2 * (below + counts[k]) / total <= 1 - confidence:
        below += counts[k]
        k += 1
    k = max(k, 1)                                    # too few samples: [min, max], coverage says so
    coverage = 1 - 2 * sum(counts[:k]) / total       # P(d_(k) <= true shift <= d_(N+1-k))
    return Ratio(float(math.exp(np.median(d))), float(math.exp(d[k - 1])), float(math.exp(d[len(d) - k])),
                 max(coverage, 0.0))
