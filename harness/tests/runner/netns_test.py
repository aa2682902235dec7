#!/usr/bin/python3
"""Two-host mode for real on one machine: ringcore-bench --server-netns puts a real backend behind a
real sshd in a network namespace it creates, drives it over the veth pair, and leaves nothing behind;
and a non-loopback --server-host without --allow-remote is refused.

Usage: netns_test.py <TestCaseClass>. CTest runs one class per test; a class whose tests were all
skipped (namespaces not permitted here: the runner exits 77 and says why) exits 77.
Environment: RINGCORE_BENCH (the runner), RINGCORE_LOADGEN (the load generator).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from case_main import run_case

BENCH = os.environ.get("RINGCORE_BENCH", "")
LOADGEN = os.environ.get("RINGCORE_LOADGEN", "")
HANG_GUARD_S = 90  # generous: only here so that a hang fails the test instead of blocking CTest
TARGET_LINE = re.compile(r"servers run on (\S+)@(\S+) over ssh \(network namespace (ringcore-\d+),")


def bench_args(*extra):
    args = [BENCH]
    if LOADGEN:
        args += ["--loadgen", LOADGEN]
    return args + list(extra)


def pgrep(pattern):
    """Pids whose full command line matches the extended regex (never this test's own pgrep)."""
    out = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def one_backend():
    """ringcore when it is built, else epoll_pool: the runner's --list says which exists."""
    for name in ("ringcore", "epoll_pool"):
        r = subprocess.run(bench_args("--backends", name, "--workloads", "net_sequential", "--list"),
                           capture_output=True, text=True)
        if r.returncode == 0:
            return name
    raise unittest.SkipTest("neither backend-ringcore nor backend-epoll_pool is built")


class NamespaceCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="netns-test-")
        self.json_path = os.path.join(self.tmp, "out.json")
        self.backend = one_backend()

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def skip_if_unavailable(self, returncode, err):
        if returncode == 77:
            self.skipTest("namespaces not available here: " + err.strip().splitlines()[-1])

    def assert_nothing_left(self, runner_pid, namespace, address):
        """No namespace, veth, sshd, key directory or backend of that run survives the runner."""
        names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        self.assertNotIn(namespace, names.split())
        link = subprocess.run(["ip", "link", "show", "rc%dh" % runner_pid], capture_output=True, text=True)
        self.assertNotEqual(link.returncode, 0, "veth rc%dh outlived the run: %s" % (runner_pid, link.stdout))
        self.assertEqual(pgrep(r"sshd .*/ringcore-netns-%d\." % runner_pid), [], "sshd outlived the run")
        self.assertEqual(pgrep(r"--bind %s( |$)" % re.escape(address)), [], "a server outlived the run")
        leftovers = [d for d in os.listdir("/tmp") if d.startswith("ringcore-netns-%d." % runner_pid)]
        self.assertEqual(leftovers, [])


class NetnsRunTest(NamespaceCase):
    def test_backend_in_namespace_over_ssh(self):
        proc = subprocess.Popen(
            bench_args("--server-netns", "--backends", self.backend, "--workloads", "net_sequential",
                       "--filter", "proto:echo/mode:keepalive$", "--profile", "quick", "--repetitions", "2",
                       "--out", self.json_path),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=HANG_GUARD_S)
        self.skip_if_unavailable(proc.returncode, err)
        self.assertEqual(proc.returncode, 0, err)
        target = TARGET_LINE.search(err)
        self.assertIsNotNone(target, "the runner did not say where servers run:\n" + err)
        user, address, namespace = target.groups()
        self.assertEqual(namespace, "ringcore-%d" % proc.pid)
        # Said before the first benchmark started.
        self.assertLess(err.index(target.group(0)), err.index("[1/1]"))

        with open(self.json_path) as f:
            results = json.load(f)
        ctx = results["context"]
        self.assertEqual(ctx["server_host"], "%s@%s" % (user, address))
        self.assertEqual(ctx["server_address"], address)
        self.assertTrue(address.startswith("10.213."), address)
        self.assertEqual(ctx["server_netns"], namespace)
        self.assertTrue(ctx["server_kernel"].startswith("Linux "), ctx["server_kernel"])
        self.assertTrue(ctx["server_cpus"].isdigit(), ctx["server_cpus"])
        self.assertIn("server_cpu_model", ctx)
        self.assertIn("server_pinning", ctx)
        # The local pinning key names only what runs here, and points to the server's.
        self.assertTrue(ctx["pinning"].startswith("servers on %s@%s (see server_pinning); loadgen " % (user, address)),
                        ctx["pinning"])
        self.assertIn("servers (backend serve): %s@%s (network namespace %s," % (user, address, namespace),
                      ctx["hosts"])
        self.assertIn("load generator and file workloads:", ctx["hosts"])
        runs = [b for b in results["benchmarks"] if b.get("run_type") == "iteration"]
        self.assertEqual(len(runs), 3)  # the syscall-counting repetition, then the 2 timed ones
        for run in runs:
            self.assertEqual(run["name"], "net_sequential/%s/proto:echo/mode:keepalive" % self.backend)
            self.assertFalse(run.get("error_occurred", False), run.get("error_message"))
        # The remote server got RINGCORE_COUNT_SYSCALLS through ssh: it counted in the first
        # repetition only (100 requests take at least 100 syscalls), and not in the timed ones.
        counted, *timed = runs
        self.assertEqual(counted["syscall_count_run"], 1)
        self.assertGreaterEqual(counted["syscalls"], 100)
        for run in timed:
            self.assertNotIn("syscalls", run)
            self.assertEqual(run["requests"], 100)
            self.assertEqual(run["errors"], 0)
        self.assert_nothing_left(proc.pid, namespace, address)


class NetnsInterruptTest(NamespaceCase):
    def test_sigint_mid_run_leaves_nothing(self):
        proc = subprocess.Popen(
            bench_args("--server-netns", "--backends", self.backend, "--workloads", "net_concurrent",
                       "--filter", "duration_ms", "--profile", "quick", "--repetitions", "20",
                       "--out", self.json_path),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        err_lines = []
        reader = threading.Thread(target=lambda: err_lines.extend(proc.stderr), daemon=True)
        reader.start()
        try:
            target, deadline = None, time.monotonic() + 30
            while target is None and time.monotonic() < deadline and proc.poll() is None:
                target = next((m for m in map(TARGET_LINE.search, list(err_lines)) if m), None)
                time.sleep(0.05)
            if proc.poll() is not None:
                reader.join(5)
                self.skip_if_unavailable(proc.returncode, "".join(err_lines))
            self.assertIsNotNone(target, "the runner did not say where servers run:\n" + "".join(err_lines))
            _, address, namespace = target.groups()
            # Wait until a backend really serves in the namespace, then interrupt the runner.
            serving = r"^/\S*/backend-\S+ serve .*--bind %s( |$)" % re.escape(address)
            while not pgrep(serving) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(pgrep(serving), "no backend ever served on " + address)
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=HANG_GUARD_S)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.join(5)
        self.assertEqual(proc.returncode, 130, "".join(err_lines))
        self.assert_nothing_left(proc.pid, namespace, address)


class RemoteTargetTest(unittest.TestCase):
    """The safety rule: no --allow-remote, no server or load anywhere but loopback and our namespace."""

    def refused(self, *extra):
        start = time.monotonic()
        r = subprocess.run(bench_args("--workloads", "net_sequential", *extra), capture_output=True, text=True,
                           timeout=HANG_GUARD_S)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertLess(time.monotonic() - start, 10, "refused only after trying to connect")
        return r.stderr

    def test_non_loopback_host_needs_allow_remote(self):
        err = self.refused("--server-host", "root@192.0.2.1")
        self.assertIn("--server-host root@192.0.2.1 (address 192.0.2.1) is not a loopback address", err)
        self.assertIn("--allow-remote", err)

    def test_namespace_range_is_not_allowed_by_itself(self):
        # Only the address a --server-netns run created is allowed, not anything that looks like one.
        err = self.refused("--server-host", "root@10.213.0.2")
        self.assertIn("pass --allow-remote", err)

    def test_loopback_server_address_does_not_excuse_a_remote_host(self):
        err = self.refused("--server-host", "root@192.0.2.1", "--server-address", "127.0.0.1")
        self.assertIn("pass --allow-remote", err)

    def test_allow_remote_prints_the_target_before_anything_runs(self):
        # TEST-NET-1 never answers; ssh gives up after a second and the runner fails (1), having said
        # where it would have sent load.
        r = subprocess.run(bench_args("--workloads", "net_sequential", "--server-host", "root@192.0.2.1",
                                      "--allow-remote", "--ssh-option", "ConnectTimeout=1"),
                           capture_output=True, text=True, timeout=HANG_GUARD_S)
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertIn("servers run on root@192.0.2.1 over ssh (another machine, --allow-remote); "
                      "the load generator sends to 192.0.2.1", lines[0])
        self.assertIn("cannot run commands on root@192.0.2.1 over ssh", lines[-1])


def main():
    return run_case(globals(), __doc__)


if __name__ == "__main__":
    sys.exit(main())
