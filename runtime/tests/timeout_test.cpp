// Proves sleep_for and with_timeout: a timeout that fires gives timed_out (ETIME from the link
// timeout, turned into ETIMEDOUT), an op that finishes first keeps its own result, and the awaiter
// resumes only once both CQEs are in.
#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;
using namespace std::chrono_literals;

class Timeout : public RingTest {};
RINGCORE_ALL_CONFIGS(Timeout);

TEST_P(Timeout, SleepForCompletesSuccessfully) {
  run([&]() -> task<void> {
    auto r = co_await sleep_for(1ms);
    EXPECT_TRUE(r.has_value()) << r.error().message();
    auto zero = co_await sleep_for(0ms);
    EXPECT_TRUE(zero.has_value());
  }());
}

TEST_P(Timeout, ReadThatNeverCompletesTimesOut) {
  Pipe pipe;
  run([&]() -> task<void> {
    char buf[32];
    auto r = co_await with_timeout(ringcore::read(pipe.read_end, buf, sizeof buf, 0), 10ms);
    EXPECT_EQ(r.error(), std::errc::timed_out);
  }());
  EXPECT_EQ(runtime().ring().in_flight(), 0u);
  // The timed-out read is gone: data written now stays in the pipe.
  ASSERT_EQ(::write(pipe.write_end, "ok", 2), 2);
  char got[2];
  EXPECT_EQ(::read(pipe.read_end, got, 2), 2);
}

TEST_P(Timeout, ReadThatCompletesInTimeKeepsItsResult) {
  Pipe pipe;
  ASSERT_EQ(::write(pipe.write_end, "hello", 5), 5);
  run([&]() -> task<void> {
    char buf[32];
    auto r = co_await with_timeout(ringcore::read(pipe.read_end, buf, sizeof buf, 0), 5s);
    EXPECT_EQ(r.value_or(0), 5u);
    EXPECT_EQ(std::string(buf, 5), "hello");
  }());
  EXPECT_EQ(runtime().ring().in_flight(), 0u);
}

TEST_P(Timeout, TimedOutTasksDoNotDisturbOthers) {
  Pipe a, b;
  int timeouts = 0, reads = 0;
  run([&]() -> task<void> {
    auto waiter = [&](int fd, std::chrono::milliseconds d) -> task<void> {
      char buf[8];
      auto r = co_await with_timeout(ringcore::read(fd, buf, sizeof buf, 0), d);
      if (r) ++reads;
      else if (r.error() == std::errc::timed_out) ++timeouts;
    };
    spawn(waiter(a.read_end, 5ms));
    spawn(waiter(b.read_end, 5s));
    co_await sleep_for(20ms);
    EXPECT_EQ(::write(b.write_end, "y", 1), 1);
    while (timeouts + reads < 2) co_await ringcore::yield();
  }());
  EXPECT_EQ(timeouts, 1);
  EXPECT_EQ(reads, 1);
}
