#include "child_serve_meter.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>

namespace nginx_backend {
namespace {

std::int64_t to_ns(const timeval& tv) { return std::int64_t(tv.tv_sec) * 1'000'000'000 + std::int64_t(tv.tv_usec) * 1000; }

// The child's CPU time so far (user + sys) in ns; its CPU clock is readable by the parent.
std::int64_t child_cpu_ns(pid_t child) {
  clockid_t clock;
  timespec ts{};
  if (clock_getcpuclockid(child, &clock) != 0 || clock_gettime(clock, &ts) != 0) return 0;
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

void ChildServeMeter::ready(std::uint16_t port, pid_t child) {
  rusage reaped{};
  getrusage(RUSAGE_CHILDREN, &reaped);
  reaped_user_ns_ = to_ns(reaped.ru_utime);
  reaped_sys_ns_ = to_ns(reaped.ru_stime);
  child_cpu_at_ready_ns_ = child_cpu_ns(child);
  meter_.ready(port);
}

void ChildServeMeter::stopping(pid_t child) {
  child_cpu_at_stop_ns_ = child_cpu_ns(child);
  meter_.stop();  // the syscall count and wall time end here too
}

void ChildServeMeter::report(const bench::ServeMeter::Totals& t) {
  // nginx's CPU clock from "ready" to stopping(): serving only, not its start-up (reading its
  // configuration, opening its sockets) nor its stop and exit. Split into user and sys in the
  // proportion the kernel recorded for its whole life (getrusage(RUSAGE_CHILDREN) after waitpid;
  // children reaped before "ready" taken off). The wrapper's own CPU is not added: while nginx
  // serves, the wrapper sleeps in sigtimedwait; what it spends is start-up and teardown.
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  std::int64_t user = to_ns(ru.ru_utime) - reaped_user_ns_, sys = to_ns(ru.ru_stime) - reaped_sys_ns_;
  const std::int64_t total = user + sys;
  std::int64_t serving_ns = total - std::min(total, child_cpu_at_ready_ns_);  // without stopping(): up to exit
  if (child_cpu_at_ready_ns_ > 0 && child_cpu_at_stop_ns_ >= child_cpu_at_ready_ns_)
    serving_ns = child_cpu_at_stop_ns_ - child_cpu_at_ready_ns_;
  if (total > 0) {
    const double share = double(serving_ns) / double(total);
    user = std::int64_t(double(user) * share);
    sys = std::int64_t(double(sys) * share);
  }
  meter_.report(t, bench::CpuTime{user, sys});
}

}  // namespace nginx_backend
