#include "bench/counters.hpp"

#include <linux/perf_event.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string_view>

namespace bench {
namespace {

long tracepoint_id(std::string& why) {
  for (const char* path : {"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
                           "/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id"}) {
    std::ifstream f(path);
    long id = -1;
    if (f >> id) return id;
  }
  why = "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)";
  return -1;
}

}  // namespace

bool syscall_counting_enabled(const char* value) { return value == nullptr || std::string_view(value) != "0"; }

SyscallCounter::SyscallCounter() {
  if (!syscall_counting_enabled(std::getenv("RINGCORE_COUNT_SYSCALLS"))) {
    why_ = "off (RINGCORE_COUNT_SYSCALLS=0)";
    return;
  }
  long id = tracepoint_id(why_);
  if (id < 0) return;
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.config = std::uint64_t(id);
  attr.inherit = 1;  // threads created later (thread pools, per-connection threads) count too
  attr.exclude_kernel = 0;
  int fd = int(::syscall(SYS_perf_event_open, &attr, 0 /* this process */, -1 /* any cpu */, -1, PERF_FLAG_FD_CLOEXEC));
  if (fd < 0) {
    why_ = std::string("perf_event_open(raw_syscalls:sys_enter): ") + std::strerror(errno);
    return;
  }
  fd_ = fd;
}

SyscallCounter::~SyscallCounter() {
  if (fd_ >= 0) ::close(fd_);
}

std::int64_t SyscallCounter::read() const {
  if (fd_ < 0) return -1;
  std::uint64_t value = 0;
  if (::read(fd_, &value, sizeof value) != sizeof value) return -1;
  return std::int64_t(value) - 1;  // not counting this read()'s own entry
}

CpuTime CpuTime::process() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return {std::int64_t(ru.ru_utime.tv_sec) * 1'000'000'000 + std::int64_t(ru.ru_utime.tv_usec) * 1000,
          std::int64_t(ru.ru_stime.tv_sec) * 1'000'000'000 + std::int64_t(ru.ru_stime.tv_usec) * 1000};
}

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace bench
