"""The command line of the runner's Python suites: `<suite>.py CASE` runs one TestCase class of the
suite (CTest lists each as its own test). Exit 0 when it passed, 1 when it failed, 2 on a usage
error, 77 (CTest's skip) when every test in it was skipped; each skip's reason goes to stderr."""
import os
import sys
import unittest


def run_case(cases, doc):
    """`cases`: the suite's globals(); `doc`: its usage text."""
    if len(sys.argv) != 2 or sys.argv[1] not in cases:
        print(doc, file=sys.stderr)
        return 2
    if not os.environ.get("RINGCORE_BENCH"):
        print("RINGCORE_BENCH is not set", file=sys.stderr)
        return 2
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(cases[sys.argv[1]])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    for _, reason in result.skipped:
        print("SKIPPED: " + reason, file=sys.stderr)
    if not result.wasSuccessful():
        return 1
    if result.skipped and len(result.skipped) == result.testsRun:
        return 77
    return 0
