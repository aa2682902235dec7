// Proves the ring's own count of io_uring_enter calls equals what the kernel counted (the
// syscalls:sys_enter_io_uring_enter tracepoint), so "syscalls per operation" figures are exact.
#include <linux/perf_event.h>
#include <sys/syscall.h>

#include <cstring>
#include <fstream>

#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

namespace {

// Counts this thread's io_uring_enter calls; -1 if the kernel or permissions do not allow it.
class EnterCounter {
 public:
  EnterCounter() {
    std::ifstream f("/sys/kernel/tracing/events/syscalls/sys_enter_io_uring_enter/id");
    long id = -1;
    if (!(f >> id)) {
      why = "tracefs syscall tracepoints are not available (mount -t tracefs nodev /sys/kernel/tracing)";
      return;
    }
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.config = std::uint64_t(id);
    fd_ = int(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    if (fd_ < 0) why = std::string("perf_event_open: ") + std::strerror(errno);
  }
  ~EnterCounter() {
    if (fd_ >= 0) ::close(fd_);
  }
  long long read() const {
    std::uint64_t v = 0;
    return (fd_ >= 0 && ::read(fd_, &v, sizeof v) == sizeof v) ? (long long)v : -1;
  }
  std::string why;

 private:
  int fd_ = -1;
};

class EnterCount : public RingTest {};
RINGCORE_ALL_CONFIGS(EnterCount);

TEST_P(EnterCount, RingCountMatchesTheKernel) {
  EnterCounter kernel;
  if (kernel.read() < 0) GTEST_SKIP() << kernel.why;
  std::string data = pattern(64 * 1024, 8);
  TempFile f(data);
  const RingStats before = runtime().ring().stats();
  long long k0 = kernel.read();
  run([&]() -> task<void> {
    auto file = co_await File::open(f.path());
    std::vector<char> buf(4096);
    for (int i = 0; i < 16; ++i) co_await file->read_at(buf.data(), buf.size(), i * 4096ULL);
    WaitGroup wg;
    wg.add(32);
    auto one = [&]() -> task<void> {
      co_await nop();
      wg.done();
    };
    for (int i = 0; i < 32; ++i) spawn(one());
    co_await wg.wait();
    co_await sleep_for(std::chrono::milliseconds(1));
  }());
  long long k1 = kernel.read();
  const RingStats after = runtime().ring().stats();
  EXPECT_EQ(after.enters - before.enters, std::uint64_t(k1 - k0)) << GetParam().name;
  if (!runtime().ring().sqpoll()) {
    EXPECT_GT(k1 - k0, 0);
  }
}

// A SINGLE_ISSUER ring enters through a registered ring fd (an index into this thread's table of
// registered rings, not a descriptor); a ring that other threads may enter keeps its own fd.
TEST_P(EnterCount, OnlyASingleIssuerRingEntersThroughARegisteredFd) {
  Ring& ring = runtime().ring();
  const bool single_issuer = (ring.setup_flags() & IORING_SETUP_SINGLE_ISSUER) != 0;
  EXPECT_EQ(ring.registered_fd(), single_issuer) << GetParam().name;
  if (single_issuer) {
    EXPECT_NE(ring.raw()->enter_ring_fd, ring.raw()->ring_fd);
    EXPECT_GE(ring.raw()->enter_ring_fd, 0);
    EXPECT_LT(ring.raw()->enter_ring_fd, 16);  // the kernel's table holds 16 per thread
    EXPECT_NE(ring.describe().find("registered-fd"), std::string::npos) << ring.describe();
  } else {
    EXPECT_EQ(ring.raw()->enter_ring_fd, ring.raw()->ring_fd);
  }
  // Entering through it works: a round trip completes.
  bool completed = false;
  run([&]() -> task<void> { completed = (co_await nop()).has_value(); }());
  EXPECT_TRUE(completed);
}

TEST(RegisteredRingFd, ACoopRingKeepsItsOwnFd) {
  RingOptions o;
  o.taskrun = TaskRun::coop;
  Ring ring(o);
  EXPECT_FALSE(ring.registered_fd());
  EXPECT_EQ(ring.raw()->enter_ring_fd, ring.raw()->ring_fd);
}

}  // namespace
