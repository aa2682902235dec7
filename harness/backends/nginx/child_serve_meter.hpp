// bench::ServeMeter for a server that runs in a child process: the same "ready N" line and the
// same counters line, but with the child's CPU time (bench::ServeMeter reads the caller's own).
// The syscall counter needs nothing special: backend_main opens it with inherit before the fork,
// so it already counts nginx's syscalls.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "bench/backend.hpp"

namespace nginx_backend {

class ChildServeMeter {
 public:
  // Prints "ready <port>" and starts counting; `child` is running and already accepting.
  void ready(std::uint16_t port, pid_t child);
  // Call when serving has ended, after nginx has answered the status query and before it is told
  // to stop: its CPU time, the syscall count and the wall time up to here are what serving cost
  // (bench::ServeMeter::stop). Its graceful stop and its exit come after (CPU measured here as the
  // difference: ~0.9 ms after 100 connections, ~3 ms after 1,000), and no backend counts its stop.
  void stopping(pid_t child);
  // The counters line. Call after the child has been reaped (waitpid), so that
  // getrusage(RUSAGE_CHILDREN) holds its CPU time (used for the user/sys split).
  void report(const bench::ServeMeter::Totals& totals);

 private:
  bench::ServeMeter meter_;
  std::int64_t child_cpu_at_ready_ns_ = 0;
  std::int64_t child_cpu_at_stop_ns_ = 0;   // 0: stopping() was not called or could not read it
  std::int64_t reaped_user_ns_ = 0;  // children reaped before ready (an attempt on a port taken meanwhile)
  std::int64_t reaped_sys_ns_ = 0;
};

}  // namespace nginx_backend
