// What a measured process counts about itself: syscalls (counted by the kernel) and CPU time.
#pragma once

#include <cstdint>
#include <string>

namespace bench {

// Counts every syscall this process enters from now on, its later threads included, using the
// kernel's raw_syscalls:sys_enter tracepoint through perf_event_open. The kernel counts, not the
// backend, so a backend cannot under-report (and io_uring_enter counts like any other call).
// Needs tracefs (the harness mounts it) and permission for tracepoints (root); else unavailable.
// The price: while such a counter exists, every syscall on the machine takes the kernel's slow path
// through the tracepoint (6-9% of a 1-worker nginx's CPU per request here), so the runner counts
// in one repetition of each benchmark and runs the timed ones with RINGCORE_COUNT_SYSCALLS=0, which
// leaves the counter unopened (unavailable, "off").
class SyscallCounter {
 public:
  SyscallCounter();
  ~SyscallCounter();
  SyscallCounter(const SyscallCounter&) = delete;
  SyscallCounter& operator=(const SyscallCounter&) = delete;

  bool available() const { return fd_ >= 0; }
  const std::string& why_unavailable() const { return why_; }
  // Syscalls since construction; -1 when unavailable. Take differences of two reads: a reset
  // would not clear what already-exited threads contributed.
  std::int64_t read() const;

 private:
  int fd_ = -1;
  std::string why_;
};

// RINGCORE_COUNT_SYSCALLS's value (nullptr when unset): everything but "0" means count.
bool syscall_counting_enabled(const char* value);

struct CpuTime {
  std::int64_t user_ns = 0;
  std::int64_t sys_ns = 0;
  std::int64_t total_ns() const { return user_ns + sys_ns; }
  // This process, all threads (io_uring's kernel threads included where the kernel accounts them to it).
  static CpuTime process();
  CpuTime operator-(const CpuTime& o) const { return {user_ns - o.user_ns, sys_ns - o.sys_ns}; }
};

// CLOCK_MONOTONIC in nanoseconds.
std::int64_t now_ns();

}  // namespace bench
