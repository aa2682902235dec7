// Proves a batched wait (RingOptions::batch_wait_us, the kernel's min_wait_usec) collects a whole
// batch of completions in one io_uring_enter, returns with what is ready once min_wait has passed
// instead of waiting for a batch that is not coming, and that a runtime using it loses nothing.
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

namespace {

constexpr std::uint64_t kUserData = 42;

RingOptions batched(TaskRun taskrun) {
  RingOptions o;
  o.taskrun = taskrun;
  o.batch_wait_us = 200;
  return o;
}

void queue_nops(Ring& ring, int n) {
  for (int i = 0; i < n; ++i) {
    io_uring_sqe* sqe = ring.get_sqe();
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, kUserData);
  }
}

class BatchedWait : public ::testing::TestWithParam<TaskRun> {};
INSTANTIATE_TEST_SUITE_P(TaskRuns, BatchedWait, ::testing::Values(TaskRun::defer, TaskRun::coop),
                         [](const auto& info) { return info.param == TaskRun::defer ? "defer" : "coop"; });

TEST_P(BatchedWait, OneEnterSubmitsAndCollectsTheBatch) {
  Ring ring(batched(GetParam()));
  if (!ring.has_min_timeout()) GTEST_SKIP() << "this kernel has no IORING_FEAT_MIN_TIMEOUT (Linux 6.12+)";
  queue_nops(ring, 8);
  const auto before = ring.stats();
  int r = ring.submit_and_wait_batch(8, 200);
  EXPECT_EQ(r, 8);  // all eight submitted by this one call
  EXPECT_EQ(ring.stats().enters - before.enters, 1u);
  EXPECT_EQ(ring.stats().sqes_submitted - before.sqes_submitted, 8u);
  int seen = 0;
  ring.reap([&](const Completion& c) {
    EXPECT_EQ(c.user_data, kUserData);
    EXPECT_EQ(c.res, 0);
    ++seen;
  });
  EXPECT_EQ(seen, 8);
  EXPECT_EQ(ring.in_flight(), 0u);
}

TEST_P(BatchedWait, ReturnsWithWhatIsReadyWhenTheBatchDoesNotCome) {
  Ring ring(batched(GetParam()));
  if (!ring.has_min_timeout()) GTEST_SKIP() << "this kernel has no IORING_FEAT_MIN_TIMEOUT (Linux 6.12+)";
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  char byte;
  io_uring_sqe* sqe = ring.get_sqe();  // never completes on its own: nobody writes to the pipe
  io_uring_prep_read(sqe, p[0], &byte, 1, 0);
  io_uring_sqe_set_data64(sqe, 7);
  queue_nops(ring, 1);
  ASSERT_EQ(ring.submit(), 2);
  // Asks for 2, one comes: 200 us later the kernel returns with it. Without min_wait it would wait
  // out the ring's 1 s general timeout (and return the same values), so only the time tells; the
  // bound is 2,500 times the min_wait, a hang guard rather than a measurement.
  const auto start = std::chrono::steady_clock::now();
  int r = ring.submit_and_wait_batch(2, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(r, 0) << (r < 0 ? std::strerror(-r) : "");
  int seen = 0;
  ring.reap([&](const Completion& c) {
    EXPECT_EQ(c.user_data, kUserData);
    ++seen;
  });
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(ring.in_flight(), 1u);  // the read
  ASSERT_EQ(::write(p[1], "x", 1), 1);
  ring.submit_and_wait(1);
  ring.reap([&](const Completion& c) {
    EXPECT_EQ(c.user_data, 7u);
    EXPECT_EQ(c.res, 1);
  });
  EXPECT_EQ(ring.in_flight(), 0u);
  ::close(p[0]);
  ::close(p[1]);
}

// Many tasks each awaiting NOPs through a runtime with batched waits: every one finishes, and the
// runtime needs fewer enters than completions (it waits for batches).
TEST_P(BatchedWait, RuntimeCompletesEveryTask) {
  Runtime rt(batched(GetParam()));
  constexpr int kTasks = 64, kRounds = 50;
  int finished = 0;
  WaitGroup wg;
  auto worker = [&]() -> task<void> {
    for (int i = 0; i < kRounds; ++i) EXPECT_TRUE(co_await nop());
    ++finished;
    wg.done();
  };
  auto root = [&]() -> task<void> {
    wg.add(kTasks);
    for (int i = 0; i < kTasks; ++i) spawn(worker());
    co_await wg.wait();
  };
  rt.run(root());
  EXPECT_EQ(finished, kTasks);
  EXPECT_EQ(rt.ring().in_flight(), 0u);
  EXPECT_LT(rt.ring().stats().enters, std::uint64_t(kTasks) * kRounds);
}

}  // namespace
