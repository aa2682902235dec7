// timer: parking and waking without I/O. Several tasks sleep different times on one thread with
// IORING_OP_TIMEOUT; each wakes when the kernel posts its completion, in deadline order.
#include <chrono>
#include <cstdlib>
#include <string>

#include "example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: timer [--tasks N] [--step-ms MS]\n"
    "  Starts N tasks (default 3); task i sleeps (N - i) × MS milliseconds (default 50), so they\n"
    "  wake in reverse order of their start. Prints each wake-up with the time it took.\n";

using Clock = std::chrono::steady_clock;

ringcore::task<void> sleeper(int id, std::chrono::milliseconds d, Clock::time_point start, int& awake) {
  auto r = co_await ringcore::sleep_for(d);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::printf("task %d: asked %lld ms, woke after %lld ms%s\n", id, (long long)d.count(), (long long)ms,
              r ? "" : " (error)");
  ++awake;
}

ringcore::task<int> run_timers(int tasks, int step_ms) {
  auto start = Clock::now();
  int awake = 0;
  std::vector<ringcore::task<void>> started;
  for (int i = 0; i < tasks; ++i)
    ringcore::spawn(sleeper(i, std::chrono::milliseconds((tasks - i) * step_ms), start, awake));
  // The root parks too; the thread sleeps in io_uring_enter until a timer fires.
  while (awake < tasks) co_await ringcore::sleep_for(std::chrono::milliseconds(step_ms));
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  int tasks = 3, step = 50;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--tasks" && i + 1 < argc) tasks = std::atoi(argv[++i]);
    else if (a == "--step-ms" && i + 1 < argc) step = std::atoi(argv[++i]);
    else return example::usage_error("timer", "unknown argument " + a, kUsage);
  }
  if (tasks < 1 || tasks > 10000 || step < 0 || step > 60000)
    return example::usage_error("timer", "--tasks 1..10000, --step-ms 0..60000", kUsage);
  return example::guarded("timer", [&] { return ringcore::block_on(run_timers(tasks, step)); });
}
