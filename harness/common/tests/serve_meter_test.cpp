// Proves a server's counters line covers serving only: what the server does after
// ServeMeter::stop() (closing its handles, a child server's graceful stop and exit) adds nothing to
// its syscalls, CPU time or wall time. Without stop(), the line counts up to itself.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>

#include "bench/backend.hpp"
#include "bench/counters.hpp"
#include "bench/json.hpp"

namespace {

using namespace std::chrono_literals;

// The figures of a counters line.
struct Figures {
  std::int64_t syscalls = 0;
  std::int64_t cpu_ns = 0;
  std::int64_t wall_ns = 0;
};

Figures figures_of(bench::ServeMeter& meter) {
  auto line = bench::JsonObject::parse(meter.line(bench::ServeMeter::Totals{}).str());
  EXPECT_TRUE(line.has_value());
  if (!line) return {};
  return {line->integer("syscalls").value_or(-2),
          line->integer("cpu_user_ns").value_or(0) + line->integer("cpu_sys_ns").value_or(0),
          line->integer("wall_ns").value_or(-1)};
}

// Work of each kind a stopping server does: syscalls, CPU time, waiting.
void stop_work() {
  for (int i = 0; i < 500; ++i) (void)::syscall(SYS_getppid);
  const bench::CpuTime start = bench::CpuTime::process();
  const auto deadline = std::chrono::steady_clock::now() + 5s;  // hang guard
  volatile std::uint64_t sink = 0;
  while ((bench::CpuTime::process() - start).total_ns() < 20'000'000 && std::chrono::steady_clock::now() < deadline)
    for (int i = 0; i < 100000; ++i) sink = sink + std::uint64_t(i);
  std::this_thread::sleep_for(30ms);
}

TEST(ServeMeter, NothingAfterStopIsCounted) {
  const bool counting = bench::process_syscalls().available();
  const std::int64_t s0 = bench::process_syscalls().read();
  const bench::CpuTime c0 = bench::CpuTime::process();
  const std::int64_t t0 = bench::now_ns();
  bench::ServeMeter meter;
  meter.ready(0);
  for (int i = 0; i < 10; ++i) (void)::syscall(SYS_getppid);  // serving
  meter.stop();
  // Everything the meter can have counted lies between these reads and those before ready().
  const std::int64_t s1 = bench::process_syscalls().read();
  const bench::CpuTime c1 = bench::CpuTime::process();
  const std::int64_t t1 = bench::now_ns();

  stop_work();
  meter.stop();  // a second stop changes nothing
  const Figures f = figures_of(meter);
  EXPECT_LE(f.wall_ns, t1 - t0);
  EXPECT_GE(f.wall_ns, 0);
  EXPECT_LE(f.cpu_ns, (c1 - c0).total_ns());
  if (counting) {
    EXPECT_GE(f.syscalls, 10);  // the serving ones
    EXPECT_LE(f.syscalls, s1 - s0);
  } else {
    EXPECT_EQ(f.syscalls, -1) << bench::process_syscalls().why_unavailable();
  }
}

TEST(ServeMeter, WithoutStopTheLineCountsUpToItself) {
  const std::int64_t t0 = bench::now_ns();
  bench::ServeMeter meter;
  meter.ready(0);
  stop_work();
  const Figures f = figures_of(meter);
  EXPECT_GE(f.wall_ns, 30'000'000);  // stop_work()'s sleep
  EXPECT_LE(f.wall_ns, bench::now_ns() - t0);
  EXPECT_GE(f.cpu_ns, 20'000'000);  // the CPU time stop_work() burnt, by the same clock
  if (bench::process_syscalls().available()) EXPECT_GE(f.syscalls, 500);
}

}  // namespace
