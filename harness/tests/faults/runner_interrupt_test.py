#!/usr/bin/python3
"""Proves SIGINT or SIGTERM at any point of a real ringcore-bench run leaves no process behind and a
valid JSON file that holds exactly what finished.

harness/tests/runner covers one SIGINT at a chosen moment against fake backends, and a fake server
that ignores SIGTERM during a normal stop. This extends that to real backends (ringcore and nginx,
whose server is a grandchild of the runner) and to both signals at seeded random points of a short
run: while the data file is read, a server starts, the load generator runs, between repetitions.
For each point:
  - the runner exits 130 within a bound;
  - no process it started survives: this test is a child subreaper, so anything the runner leaves
    (servers, nginx, load generators) is re-parented here and found as a descendant in /proc;
  - the JSON parses strictly (no NaN), lists every repetition of the uninterrupted run in the same
    order, scores exactly the repetitions the runner reported "ok" on stderr, and after the first
    "skipped: interrupted" holds no score and no failure.
Also: a second signal ends the run at once with nothing left behind, and SIGTERM while a fake server
that ignores SIGTERM is serving still leaves nothing behind.

Environment: RINGCORE_BENCH, RINGCORE_LOADGEN, RINGCORE_BACKEND_DIR, RINGCORE_BACKENDS (comma-separated).
Exit 77 (CTest: skipped) when no usable backend was built.
"""
import ctypes
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_BACKEND = os.path.join(HERE, "..", "runner", "fake_backend.py")
BENCH = os.environ.get("RINGCORE_BENCH", "")
LOADGEN = os.environ.get("RINGCORE_LOADGEN", "")
BACKEND_DIR = os.environ.get("RINGCORE_BACKEND_DIR", "")
BUILT = [b for b in os.environ.get("RINGCORE_BACKENDS", "").split(",") if b]

SEED = 20240601          # fixed: a failure names its point, and the same points run again
POINTS = 5               # random points per signal
HANG_GUARD_S = 120       # generous: only so that a hang fails the test instead of blocking CTest
EXIT_GRACE_S = 5         # SIGKILLed children may take a moment to disappear from /proc
EXIT_INTERRUPTED = 130
MISSED_POINT_RETRIES = 3  # a point past the end of a faster run is tried again earlier
# "rep 1/3 (counting syscalls) ... ok": the runner marks the repetition that counts syscalls (--syscalls first).
PROGRESS = re.compile(r"^\[\d+/\d+\] (\S+) rep (\d+)/\d+(?: \(counting syscalls\))? \.\.\. (.*)$")
# A short run that still has every phase: a file read, 1,000-connection bursts, a sustained run,
# a sequential client; two repetitions each, so that some points fall between repetitions.
FILTER = "(block:1048576/depth:16/cache:warm|conns:1000|duration_ms|proto:http/mode:keepalive)"

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def proc_stat(pid):
    """(state, ppid) of a process, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields[0], int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def describe(pid):
    try:
        exe = os.readlink("/proc/%d/exe" % pid)
    except OSError:
        exe = "?"
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        cmd = "?"
    return "pid %d exe %s: %s" % (pid, exe, cmd)


def living_descendants(root):
    """Processes below `root` that are not zombies."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = proc_stat(int(entry))
            if st:
                children.setdefault(st[1], []).append((int(entry), st[0]))
    found, todo = [], [root]
    while todo:
        for pid, state in children.get(todo.pop(), []):
            todo.append(pid)
            if state not in ("Z", "X"):
                found.append(pid)
    return found


def reap_orphans():
    """Zombies re-parented to us (we are their subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def strict_json(path):
    def not_json(constant):
        raise AssertionError("%s in %s is not JSON" % (constant, path))
    with open(path) as f:
        return json.load(f, parse_constant=not_json)


def iterations(results):
    return [b for b in results["benchmarks"] if b.get("run_type") == "iteration"]


def progress_ok(stderr):
    """(name, repetition index) of every repetition the runner reported "ok"."""
    done = set()
    for line in stderr.splitlines():
        m = PROGRESS.match(line)
        if m and m.group(3).startswith("ok "):
            done.add((m.group(1), int(m.group(2)) - 1))
    return done


class RunnerInterruptTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ringcore-runner-interrupt-", dir="/var/tmp")  # a disk, like --data-dir
        cls.data_dir = os.path.join(cls.tmp, "data")
        os.mkdir(cls.data_dir)
        preferred = [b for b in ("ringcore", "nginx") if b in BUILT]
        cls.backends = preferred or BUILT[:2]
        # The uninterrupted run, twice: the first makes the data file, the second (timed) is the
        # reference for the order of repetitions and for the length of a run.
        reference = os.path.join(cls.tmp, "reference.json")
        for _ in range(2):
            start = time.monotonic()
            r = subprocess.run(cls.bench_args(reference), capture_output=True, text=True, timeout=HANG_GUARD_S)
            cls.duration = time.monotonic() - start
            if r.returncode != 0:
                break
        cls.reference_rc, cls.reference_err = r.returncode, r.stderr
        cls.reference = strict_json(reference) if r.returncode == 0 else None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def bench_args(cls, out):
        return [BENCH, "--backend-dir", BACKEND_DIR, "--backends", ",".join(cls.backends), "--loadgen", LOADGEN,
                "--data-dir", cls.data_dir, "--out", out, "--profile", "quick",
                "--workloads", "file_read,net_sequential,net_concurrent", "--filter", FILTER,
                "--file-size", "8M", "--repetitions", "2"]

    def start(self, args, env=None):
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)

    def finish(self, proc):
        try:
            _, err = proc.communicate(timeout=HANG_GUARD_S)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return err

    def assert_nothing_left(self, what):
        deadline = time.monotonic() + EXIT_GRACE_S
        while True:
            reap_orphans()
            left = living_descendants(os.getpid())
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(left, [], "%s left running:\n  %s" % (what, "\n  ".join(describe(p) for p in left)))

    def interrupt_at(self, delay, signals, out):
        """Runs the runner and signals it `delay` seconds in. Run times vary (other tests share the
        CPUs): when the run has already ended by then, the point is tried again at half the delay."""
        for _ in range(MISSED_POINT_RETRIES + 1):
            proc = self.start(self.bench_args(out))
            time.sleep(delay)
            if proc.poll() is None:
                break
            self.finish(proc)
            delay /= 2
        else:
            self.fail("the run kept ending before its signal, last at %.3f s" % delay)
        for i, sig in enumerate(signals):
            if i:
                time.sleep(0.05)
            proc.send_signal(sig)
        err = self.finish(proc)
        return proc.returncode, err, delay

    def check_results(self, out, err, point):
        results = strict_json(out)
        got = iterations(results)
        want = iterations(self.reference)
        self.assertEqual([(b["name"], b["repetition_index"]) for b in got],
                         [(b["name"], b["repetition_index"]) for b in want],
                         "%s: the JSON does not list every repetition in order" % point)
        interrupted_seen = False
        for b in got:
            message = b.get("error_message", "")
            where = "%s: %s rep %d" % (point, b["name"], b["repetition_index"])
            self.assertFalse(message.startswith("failed"), "%s: %s" % (where, message))
            if message == "skipped: interrupted":
                interrupted_seen = True
            elif interrupted_seen:
                # After the interruption nothing claims a score; a skip reason already known may be reused.
                self.assertTrue(b.get("error_occurred") and message.startswith("skipped: "),
                                "%s comes after an interrupted repetition but is %s" % (where, message or "scored"))
        scored = {(b["name"], b["repetition_index"]) for b in got if not b.get("error_occurred")}
        self.assertEqual(scored, progress_ok(err), "%s: scores in the JSON differ from the runs reported ok" % point)
        return len(scored)

    def check_reference(self):
        if self.reference is None:
            self.fail("the uninterrupted run failed (exit %d): %s" % (self.reference_rc, self.reference_err[-2000:]))

    def run_points(self, sig):
        self.check_reference()
        rng = random.Random("%d-%s" % (SEED, sig.name))
        for k in range(POINTS):
            delay = round(rng.uniform(0.02, 0.95) * self.duration, 3)
            point = "%s at %.3f s of a %.2f s run" % (sig.name, delay, self.duration)
            with self.subTest(point=point):
                out = os.path.join(self.tmp, "%s-%d.json" % (sig.name, k))
                rc, err, delay = self.interrupt_at(delay, [sig], out)
                point = "%s at %.3f s of a %.2f s run" % (sig.name, delay, self.duration)
                self.assert_nothing_left("the runner, %s," % point)
                # 130 even when the signal comes after the last benchmark: the runner checks at its end.
                self.assertEqual(rc, EXIT_INTERRUPTED, "%s: exit %d; stderr: %s" % (point, rc, err[-2000:]))
                scored = self.check_results(out, err, point)
                print("%s: exit %d, %d repetitions scored, the rest skipped: interrupted" % (point, rc, scored))

    def test_sigint_at_random_points(self):
        self.run_points(signal.SIGINT)

    def test_sigterm_at_random_points(self):
        self.run_points(signal.SIGTERM)

    def test_second_signal_ends_the_run_at_once(self):
        self.check_reference()
        delay = round(random.Random(SEED).uniform(0.1, 0.9) * self.duration, 3)
        rc, err, delay = self.interrupt_at(delay, [signal.SIGTERM, signal.SIGINT], os.path.join(self.tmp, "twice.json"))
        self.assert_nothing_left("the runner, stopped twice at %.3f s," % delay)
        self.assertEqual(rc, EXIT_INTERRUPTED, err[-2000:])

    def test_sigterm_while_a_server_ignores_sigterm(self):
        """The runner's interrupt kills with SIGKILL: a server deaf to SIGTERM cannot outlive it."""
        backend_dir = os.path.join(self.tmp, "fake-backends")
        os.makedirs(backend_dir, exist_ok=True)
        wrapper = os.path.join(backend_dir, "backend-stubborn")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\nexec /usr/bin/python3 "%s" stubborn "$@"\n' % FAKE_BACKEND)
        os.chmod(wrapper, 0o755)
        pid_dir = os.path.join(self.tmp, "fake-pids")
        os.makedirs(pid_dir, exist_ok=True)
        out = os.path.join(self.tmp, "stubborn.json")
        args = [BENCH, "--backend-dir", backend_dir, "--backends", "stubborn", "--loadgen", LOADGEN,
                "--data-dir", self.data_dir, "--out", out, "--workloads", "net_concurrent",
                "--filter", "proto:echo/conns:1000$", "--repetitions", "3"]
        proc = self.start(args, env=dict(os.environ, FAKE_PID_DIR=pid_dir))
        deadline = time.monotonic() + 30
        while not os.listdir(pid_dir) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        self.assertTrue(os.listdir(pid_dir), "the fake server never started")
        time.sleep(0.3)  # serving: "ready" seen, the load generator running
        proc.send_signal(signal.SIGTERM)
        err = self.finish(proc)
        self.assert_nothing_left("the runner, stopped while a server ignored SIGTERM,")
        self.assertEqual(proc.returncode, EXIT_INTERRUPTED, err[-2000:])
        # Interrupted, not "failed: stubborn: server did not exit within 5 s": the interrupt kills
        # the server's group outright instead of asking it to stop.
        # 4 entries: the 3 repetitions and, before them, the one that counts syscalls (--syscalls first).
        self.assertEqual([b.get("error_message") for b in iterations(strict_json(out))], ["skipped: interrupted"] * 4)


def main():
    if not BENCH or not LOADGEN or not BACKEND_DIR:
        print("RINGCORE_BENCH, RINGCORE_LOADGEN and RINGCORE_BACKEND_DIR must be set", file=sys.stderr)
        return 2
    if not BUILT:
        print("no backend built: nothing to interrupt")
        return 77
    become_subreaper()
    result = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.loadTestsFromTestCase(RunnerInterruptTest))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
