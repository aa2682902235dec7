// Proves that cancelling a read in flight (stop_token → IORING_OP_ASYNC_CANCEL, or cancel_fd) ends it
// with ECANCELED at its own CQE, and that its buffer is never written after the task moved on
// (run under ASan: a late kernel write into a freed buffer would be reported).
#include <memory>

#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class CancelRead : public RingTest {};
RINGCORE_ALL_CONFIGS(CancelRead);

TEST_P(CancelRead, StopTokenCancelsAReadThatWouldWaitForever) {
  Pipe pipe;  // nothing is ever written: the read can only end by cancellation
  std::stop_source stop;
  bool reader_done = false;
  run([&]() -> task<void> {
    auto reader = [&]() -> task<void> {
      auto buf = std::make_unique<char[]>(4096);  // heap: ASan sees a write after free if the kernel is late
      auto r = co_await ringcore::read(pipe.read_end, buf.get(), 4096, 0).cancel_on(stop.get_token());
      EXPECT_EQ(r.error(), std::errc::operation_canceled);
      reader_done = true;
    };
    spawn(reader());
    co_await ringcore::yield();  // let the reader submit
    co_await sleep_for(std::chrono::milliseconds(5));
    EXPECT_FALSE(reader_done);
    stop.request_stop();
    while (!reader_done) co_await ringcore::yield();
  }());
  EXPECT_TRUE(reader_done);
  // Written after the cancelled read finished: nobody must consume it.
  ASSERT_EQ(::write(pipe.write_end, "x", 1), 1);
  char c;
  EXPECT_EQ(::read(pipe.read_end, &c, 1), 1);
  EXPECT_EQ(c, 'x');
}

TEST_P(CancelRead, StopRequestedBeforeTheReadNeverSubmitsIt) {
  Pipe pipe;
  std::stop_source stop;
  stop.request_stop();
  run([&]() -> task<void> {
    char buf[16];
    auto r = co_await ringcore::read(pipe.read_end, buf, sizeof buf, 0).cancel_on(stop.get_token());
    EXPECT_EQ(r.error(), std::errc::operation_canceled);
  }());
  EXPECT_EQ(runtime().ring().stats().sqes_submitted, 0u);
}

TEST_P(CancelRead, CancelFdEndsEveryReadOnThatDescriptor) {
  Pipe pipe;
  int finished = 0, started = 0;
  run([&]() -> task<void> {
    auto reader = [&]() -> task<void> {
      char buf[64];
      ++started;
      auto r = co_await ringcore::read(pipe.read_end, buf, sizeof buf, 0);
      EXPECT_EQ(r.error(), std::errc::operation_canceled);
      ++finished;
    };
    spawn(reader());
    spawn(reader());
    spawn(reader());
    while (started < 3) co_await ringcore::yield();
    co_await sleep_for(std::chrono::milliseconds(5));  // let the reads reach the kernel (SQPOLL)
    auto n = co_await cancel_fd(pipe.read_end);
    EXPECT_EQ(n.value_or(0), 3u);
    while (finished < 3) co_await ringcore::yield();
  }());
  EXPECT_EQ(finished, 3);
}

TEST_P(CancelRead, CancelOfACompletedRequestFindsNothing) {
  run([&]() -> task<void> {
    NopOp op;
    auto r = co_await op;
    EXPECT_TRUE(r.has_value());
    auto c = co_await cancel(op);
    EXPECT_EQ(c.error(), std::errc::no_such_file_or_directory);  // ENOENT: no such request
  }());
}
