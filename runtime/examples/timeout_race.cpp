// timeout_race: an operation that loses a race against time, twice.
//  1. A read linked to an IORING_OP_LINK_TIMEOUT: the kernel cancels the read when time is up.
//  2. A read cancelled by another task with IORING_OP_ASYNC_CANCEL (a std::stop_token).
// The read is on a pipe nobody writes to (or stdin with --stdin), so only the timeout can end it.
// In both cases the read finishes at its own CQE, so its buffer is never freed under the kernel.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stop_token>
#include <string>

#include "example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: timeout_race [--ms MS] [--stdin]\n"
    "  Races a read against a MS-millisecond timeout (default 200): first with a linked timeout,\n"
    "  then with an async cancel from another task. --stdin reads standard input instead of an\n"
    "  idle pipe (type something in time to win the race).\n";

using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

ringcore::task<int> race(int fd, std::chrono::milliseconds limit) {
  char buf[256];
  auto t0 = Clock::now();
  auto r = co_await ringcore::with_timeout(ringcore::read(fd, buf, sizeof buf), limit);
  if (r) std::printf("linked timeout: the read won with %zu bytes after %lld ms\n", *r, ms_since(t0));
  else std::printf("linked timeout: the read lost after %lld ms: %s\n", ms_since(t0), r.error().message().c_str());

  std::stop_source stop;
  auto canceller = [&]() -> ringcore::task<void> {
    co_await ringcore::sleep_for(limit);
    stop.request_stop();  // → IORING_OP_ASYNC_CANCEL for the read below
  };
  ringcore::spawn(canceller());
  auto t1 = Clock::now();
  auto c = co_await ringcore::read(fd, buf, sizeof buf).cancel_on(stop.get_token());
  if (c) std::printf("async cancel: the read won with %zu bytes after %lld ms\n", *c, ms_since(t1));
  else std::printf("async cancel: the read lost after %lld ms: %s\n", ms_since(t1), c.error().message().c_str());
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  int ms = 200;
  bool use_stdin = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--ms" && i + 1 < argc) ms = std::atoi(argv[++i]);
    else if (a == "--stdin") use_stdin = true;
    else return example::usage_error("timeout_race", "unknown argument " + a, kUsage);
  }
  if (ms < 0 || ms > 600000) return example::usage_error("timeout_race", "--ms must be 0..600000", kUsage);
  int fds[2] = {-1, -1};
  if (!use_stdin && ::pipe2(fds, O_CLOEXEC) != 0) {
    std::perror("timeout_race: pipe");
    return 1;
  }
  int fd = use_stdin ? STDIN_FILENO : fds[0];
  int rc = example::guarded("timeout_race", [&] { return ringcore::block_on(race(fd, std::chrono::milliseconds(ms))); });
  if (!use_stdin) {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  return rc;
}
