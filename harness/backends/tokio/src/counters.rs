//! What a measured process counts about itself, as harness/common/src/counters.cpp does: syscalls
//! counted by the kernel (raw_syscalls:sys_enter through perf_event_open, inherited by every thread
//! started later, Tokio's workers and blocking pool included) and CPU time from getrusage.
//!
//! While such a counter exists every syscall on the machine takes the kernel's slow path, so the
//! runner counts in one repetition of each benchmark only and runs the timed ones with
//! RINGCORE_COUNT_SYSCALLS=0, which leaves the counter unopened (unavailable, "off").
use std::sync::atomic::{AtomicI32, Ordering};

/// The first 64 bytes of struct perf_event_attr (PERF_ATTR_SIZE_VER0): all this counter sets.
#[repr(C)]
#[derive(Default)]
struct PerfEventAttrV0 {
    type_: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    flags: u64, // bit 0 disabled, bit 1 inherit, ... (linux/perf_event.h)
    wakeup_events: u32,
    bp_type: u32,
    config1: u64,
}

const PERF_TYPE_TRACEPOINT: u32 = 2;
const PERF_FLAG_INHERIT: u64 = 1 << 1;
const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 8;

/// The variable that switches counting off.
const COUNT_SYSCALLS_ENV: &str = "RINGCORE_COUNT_SYSCALLS";

/// RINGCORE_COUNT_SYSCALLS's value (None when unset): everything but "0" means count, as
/// bench::syscall_counting_enabled (harness/common/src/counters.cpp).
pub fn counting_enabled(value: Option<&str>) -> bool {
    value != Some("0")
}

#[derive(Clone, Copy)]
pub struct SyscallCounter {
    fd: i32,
}

fn tracepoint_id() -> Option<u64> {
    ["/sys/kernel/tracing/events/raw_syscalls/sys_enter/id", "/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok()?.trim().parse().ok())
}

impl SyscallCounter {
    /// The counter, or fd -1 when counting is off or not possible here.
    fn open() -> Self {
        // A value that is not Unicode is not "0": count.
        let env = std::env::var_os(COUNT_SYSCALLS_ENV);
        if !counting_enabled(env.as_ref().and_then(|v| v.to_str())) {
            return Self { fd: -1 };
        }
        let id = match tracepoint_id() {
            Some(id) => id,
            None => return Self { fd: -1 },
        };
        let attr = PerfEventAttrV0 {
            type_: PERF_TYPE_TRACEPOINT,
            size: std::mem::size_of::<PerfEventAttrV0>() as u32,
            config: id,
            flags: PERF_FLAG_INHERIT,
            ..Default::default()
        };
        // SAFETY: attr is a valid perf_event_attr of the size it declares; the kernel only reads it.
        let fd = unsafe {
            libc::syscall(libc::SYS_perf_event_open, &attr as *const PerfEventAttrV0, 0, -1, -1, PERF_FLAG_FD_CLOEXEC)
        };
        Self { fd: if fd < 0 { -1 } else { fd as i32 } }
    }

    pub fn available(&self) -> bool {
        self.fd >= 0
    }

    /// Syscalls since it was opened; -1 when unavailable.
    pub fn read(&self) -> i64 {
        if self.fd < 0 {
            return -1;
        }
        let mut value = 0u64;
        // SAFETY: reads 8 bytes into a u64 this function owns.
        let n = unsafe { libc::read(self.fd, &mut value as *mut u64 as *mut libc::c_void, 8) };
        if n != 8 {
            return -1;
        }
        value as i64 - 1 // not counting this read()'s own entry
    }
}

static PROCESS_COUNTER_FD: AtomicI32 = AtomicI32::new(-1);

/// Opens the process-wide counter, unless RINGCORE_COUNT_SYSCALLS is "0". Called by main before
/// any runtime thread exists, so that inherit covers every thread Tokio starts.
pub fn open_process_syscalls() {
    PROCESS_COUNTER_FD.store(SyscallCounter::open().fd, Ordering::Relaxed);
}

pub fn process_syscalls() -> SyscallCounter {
    SyscallCounter { fd: PROCESS_COUNTER_FD.load(Ordering::Relaxed) }
}

#[derive(Clone, Copy, Default)]
pub struct CpuTime {
    pub user_ns: i64,
    pub sys_ns: i64,
}

impl CpuTime {
    /// This process, all threads.
    pub fn process() -> Self {
        // SAFETY: getrusage fills the zeroed struct it is given.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
        let ns = |tv: libc::timeval| tv.tv_sec as i64 * 1_000_000_000 + tv.tv_usec as i64 * 1000;
        Self { user_ns: ns(ru.ru_utime), sys_ns: ns(ru.ru_stime) }
    }

    pub fn minus(self, o: CpuTime) -> CpuTime {
        CpuTime { user_ns: self.user_ns - o.user_ns, sys_ns: self.sys_ns - o.sys_ns }
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
pub fn now_ns() -> i64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime fills the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as i64 * 1_000_000_000 + ts.tv_nsec as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_is_off_only_for_zero() {
        assert!(counting_enabled(None));
        assert!(counting_enabled(Some("")));
        assert!(counting_enabled(Some("1")));
        assert!(counting_enabled(Some("yes")));
        assert!(counting_enabled(Some("00")));
        assert!(counting_enabled(Some(" 0")));
        assert!(!counting_enabled(Some("0")));
    }

    #[test]
    fn unavailable_counter_reads_minus_one() {
        let c = SyscallCounter { fd: -1 };
        assert!(!c.available());
        assert_eq!(c.read(), -1);
    }
}
