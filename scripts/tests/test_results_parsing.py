"""Proves the results reader: Google Benchmark's name suffixes are stripped, repetitions are the
samples and aggregates are not, time units are normalised, skipped/failed benchmarks are told
apart by their message, -1 counters count as missing rather than as values, and the repetition
marked syscall_count_run gives its syscall figures and nothing else."""
import unittest

import helpers
from benchlib import gbjson, metrics, names


class Names(unittest.TestCase):
    def test_harness_name_with_google_benchmark_suffixes(self):
        n = names.parse("file_read/ringcore/block:65536/depth:16/cache:warm/iterations:1/repeats:5/manual_time")
        self.assertEqual(n.key, "file_read/ringcore/block:65536/depth:16/cache:warm")
        self.assertEqual((n.workload, n.backend), ("file_read", "ringcore"))
        self.assertEqual(n.params, (("block", "65536"), ("depth", "16"), ("cache", "warm")))
        self.assertEqual(n.param("depth"), "16")

    def test_only_trailing_suffixes_are_stripped(self):
        n = names.parse("net_concurrent/epoll_pool/threads:4/conns:100/manual_time")
        self.assertEqual(n.key, "net_concurrent/epoll_pool/threads:4/conns:100")

    def test_labels(self):
        self.assertEqual(names.variant_label((("block", "1048576"), ("cache", "direct"))), "block 1 MiB, O_DIRECT")
        self.assertEqual(names.variant_label((("proto", "http"), ("conns", "5000"))), "http, 5,000 conns")


class Loading(unittest.TestCase):
    def test_repetitions_are_samples_and_aggregates_are_not(self):
        doc = helpers.gb_doc({"BM_a": {"real_time": [1.0, 2.0, 3.0, 4.0], "items": [5, 6, 7, 8]}}, time_unit="us")
        b = gbjson.parse(doc).benchmarks[0]
        self.assertEqual(b.key, "BM_a")
        self.assertEqual(b.values("real_time"), [1000.0, 2000.0, 3000.0, 4000.0])   # ns
        self.assertEqual(b.values("items"), [5, 6, 7, 8])
        self.assertEqual(sorted(b.aggregates), ["cv", "mean", "median", "stddev"])
        self.assertEqual((b.n, b.status), (4, gbjson.OK))

    def test_skipped_and_failed(self):
        doc = {"context": {}, "benchmarks":
               helpers.error_entries("file_read/asio/block:4096", "skipped: no async file I/O")
               + helpers.error_entries("net_concurrent/libuv/conns:10", "failed: loadgen: bad reply")}
        skipped, failed = gbjson.parse(doc).benchmarks
        self.assertEqual((skipped.status, skipped.reason), (gbjson.SKIPPED, "no async file I/O"))
        self.assertEqual((failed.status, failed.reason), (gbjson.FAILED, "loadgen: bad reply"))

    def test_minus_one_counters_are_missing_not_values(self):
        doc = helpers.gb_doc({"net_sequential/nginx/proto:http": {"syscalls_per_op": [-1, -1, -1, -1],
                                                                  "requests_per_second": [1e4, 1e4, 1e4, 1e4]}})
        b = gbjson.parse(doc).benchmarks[0]
        self.assertEqual(b.values("syscalls_per_op"), [])
        self.assertEqual(b.missing["syscalls_per_op"], 4)
        self.assertEqual(b.key_metric(), "requests_per_second")

    def test_fixture_loads(self):
        r = gbjson.load(helpers.FIXTURE)
        self.assertEqual(r.workloads(), ["file_read", "linked_chain", "net_sequential", "net_concurrent"])
        self.assertEqual(sorted(r.backends()),
                         ["asio", "asio_uring", "epoll_pool", "libuv", "nginx", "ringcore", "std"])
        statuses = {b.key: b.status for b in r.benchmarks}
        self.assertEqual(statuses["net_concurrent/std/proto:http/conns:5000"], gbjson.SKIPPED)
        self.assertEqual(statuses["net_concurrent/libuv/proto:echo/conns:1000"], gbjson.FAILED)
        self.assertTrue(all(b.n == 5 for b in r.benchmarks if b.status == gbjson.OK))

    def test_not_google_benchmark_json(self):
        with self.assertRaises(gbjson.ResultsError):
            gbjson.parse({"results": []})


def _entry(rep, **numbers):
    run_name = "net_sequential/nginx/proto:http/manual_time"
    e = {"name": run_name, "family_index": 0, "per_family_instance_index": 0, "run_name": run_name,
         "run_type": "iteration", "repetitions": 4, "repetition_index": rep, "threads": 1, "iterations": 1,
         "cpu_time": 0.5, "time_unit": "ns"}
    e.update(numbers)
    return e


class SyscallCountRun(unittest.TestCase):
    """The runner's extra first repetition counted syscalls (the tracepoint slows every syscall): only
    its syscalls and syscalls_per_op are samples; its time and other counters are not."""

    def _doc(self, marked):
        return {"context": {}, "benchmarks": [
            marked,
            _entry(1, real_time=1, requests_per_second=10),
            _entry(2, real_time=2, requests_per_second=20),
            _entry(3, real_time=3, requests_per_second=30),
        ]}

    def test_marked_repetition_gives_only_its_syscall_figures(self):
        marked = _entry(0, real_time=999, cpu_time=777, syscalls=500, syscalls_per_op=5.0, requests_per_second=1,
                        server_cpu_us_per_req=42.0, syscall_count_run=1)
        b = gbjson.parse(self._doc(marked)).benchmarks[0]
        self.assertEqual(b.samples["syscalls_per_op"], [5.0])
        self.assertEqual(b.samples["syscalls"], [500.0])
        self.assertEqual(b.samples["requests_per_second"], [10, 20, 30])
        self.assertEqual(b.samples["real_time"], [1.0, 2.0, 3.0])
        self.assertNotIn(999.0, b.samples["real_time"])
        self.assertEqual(b.samples["cpu_time"], [0.5, 0.5, 0.5])
        self.assertNotIn("server_cpu_us_per_req", b.samples)
        self.assertNotIn("syscall_count_run", b.samples)
        self.assertNotIn("syscall_count_run", b.missing)
        self.assertEqual(b.missing, {})
        self.assertEqual(b.n, 3)
        self.assertEqual(b.status, gbjson.OK)
        self.assertEqual(len(b.entries), 4)      # the raw entries are all kept

    def test_unavailable_syscalls_in_the_marked_repetition_are_missing(self):
        marked = _entry(0, real_time=999, syscalls=-1, syscalls_per_op=-1, syscall_count_run=1)
        b = gbjson.parse(self._doc(marked)).benchmarks[0]
        self.assertNotIn("syscalls_per_op", b.samples)
        self.assertEqual(b.missing, {"syscalls": 1, "syscalls_per_op": 1})
        self.assertEqual(b.samples["real_time"], [1.0, 2.0, 3.0])

    def test_failed_marked_repetition_is_an_error(self):
        marked = _entry(0, real_time=0.0, syscall_count_run=1, error_occurred=True,
                        error_message="failed: loadgen: bad reply")
        b = gbjson.parse(self._doc(marked)).benchmarks[0]
        self.assertEqual(b.errors, ["failed: loadgen: bad reply"])
        self.assertEqual(b.samples["requests_per_second"], [10, 20, 30])
        self.assertEqual(b.n, 3)

    def test_unmarked_syscall_count_run_zero_is_an_ordinary_repetition(self):
        b = gbjson.parse(self._doc(_entry(0, real_time=4, requests_per_second=40, syscall_count_run=0))).benchmarks[0]
        self.assertEqual(b.samples["requests_per_second"], [40, 10, 20, 30])
        self.assertNotIn("syscall_count_run", b.samples)
        self.assertEqual(b.n, 4)


class KeyMetric(unittest.TestCase):
    def test_workload_key_metrics(self):
        self.assertEqual(metrics.key_metric("net_concurrent", {"real_time", "requests_per_second"}), "requests_per_second")
        self.assertEqual(metrics.key_metric("file_read", {"real_time", "bytes_per_second"}), "bytes_per_second")
        self.assertEqual(metrics.key_metric("BM_nop", {"instructions"}), "instructions")
        self.assertEqual(metrics.key_metric("BM_nop", {"real_time"}), "real_time")


if __name__ == "__main__":
    unittest.main()
