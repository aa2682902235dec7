//! bench::FileMeter and bench::ServeMeter (harness/common/src/backend.cpp): the same keys, in the
//! same order, measured the same way.
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::counters::{now_ns, process_syscalls, CpuTime};
use crate::json::JsonLine;

fn syscalls_since(start: i64) -> i64 {
    let counter = process_syscalls();
    if counter.available() {
        counter.read() - start
    } else {
        -1
    }
}

/// Construct just before the measured work (before open()), finish() after the last byte.
pub struct FileMeter {
    syscalls_start: i64,
    start_ns: i64,
}

impl FileMeter {
    pub fn start() -> Self {
        Self { syscalls_start: process_syscalls().read(), start_ns: now_ns() }
    }

    /// The result line with backend, command, bytes, elapsed_ns and syscalls; add more and print.
    pub fn finish(&self, backend: &str, command: &str, bytes: u64) -> JsonLine {
        let elapsed = now_ns() - self.start_ns;
        JsonLine::new()
            .str("backend", backend)
            .str("command", command)
            .uint("bytes", bytes)
            .int("elapsed_ns", elapsed)
            .int("syscalls", syscalls_since(self.syscalls_start))
    }
}

/// A server's counters, shared by every connection task (atomics: tokio_mt runs tasks on
/// several workers).
#[derive(Default)]
pub struct Totals {
    pub requests: AtomicU64,
    pub connections: AtomicU64,
    pub errors: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
}

impl Totals {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Relaxed);
    }
    pub fn sub(counter: &AtomicU64, n: u64) {
        counter.fetch_sub(n, Relaxed);
    }
}

pub struct ServeMeter {
    syscalls_start: i64,
    cpu_start: CpuTime,
    start_ns: i64,
}

impl ServeMeter {
    /// Prints "ready <port>" and starts counting.
    pub fn ready(port: u16) -> Self {
        let m = Self { syscalls_start: process_syscalls().read(), cpu_start: CpuTime::process(), start_ns: now_ns() };
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "ready {}", port);
        let _ = out.flush();
        m
    }

    pub fn report(&self, backend: &str, t: &Totals) {
        let cpu = CpuTime::process().minus(self.cpu_start);
        JsonLine::new()
            .str("backend", backend)
            .str("command", "serve")
            .uint("requests", t.requests.load(Relaxed))
            .uint("connections", t.connections.load(Relaxed))
            .uint("errors", t.errors.load(Relaxed))
            .uint("bytes_in", t.bytes_in.load(Relaxed))
            .uint("bytes_out", t.bytes_out.load(Relaxed))
            .int("cpu_user_ns", cpu.user_ns)
            .int("cpu_sys_ns", cpu.sys_ns)
            .int("syscalls", syscalls_since(self.syscalls_start))
            .int("wall_ns", now_ns() - self.start_ns)
            .print();
    }
}
