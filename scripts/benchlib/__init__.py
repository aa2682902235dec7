"""Shared code for the result scripts (plot, report, compare, history, split_results).

One module per concept: names (benchmark names), gbjson (loading Google Benchmark JSON), metrics
(what each counter means and which direction is better), stats (medians, intervals, Mann-Whitney U),
palette (one colour per backend), charts/ (one module per chart kind).
Runs under /usr/bin/python3 with Debian's numpy and matplotlib only.
"""
