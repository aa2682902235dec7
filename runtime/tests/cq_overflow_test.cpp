// Proves that when completions outnumber the CQ (it overflows into the kernel's backlog), none is
// lost: every one is reaped and counted exactly.
#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

namespace {

class CqOverflow : public ::testing::TestWithParam<RingConfig> {};

TEST_P(CqOverflow, EveryCompletionArrivesExactlyOnce) {
  RingOptions o = GetParam().options;
  o.entries = 8;
  o.cq_entries = 8;  // the smallest CQ the kernel allows for this SQ
  std::optional<Runtime> rt;
  try {
    rt.emplace(o);
  } catch (const std::system_error& e) {
    GTEST_SKIP() << GetParam().name << " refused: " << e.what();
  }
  const unsigned total = 1000;
  std::vector<unsigned> hits(total, 0);
  unsigned completed = 0;
  auto one = [&](unsigned i) -> task<void> {
    auto r = co_await nop();
    EXPECT_TRUE(r.has_value());
    ++hits[i];
    ++completed;
  };
  rt->run([&]() -> task<void> {
    // All 1000 are spawned before the loop waits once: their SQEs go out in batches of 8 while
    // nobody reaps, so their CQEs cannot all fit in the 8-entry CQ.
    for (unsigned i = 0; i < total; ++i) spawn(one(i));
    while (completed < total) co_await ringcore::yield();
  }());
  EXPECT_EQ(completed, total);
  for (unsigned i = 0; i < total; ++i) ASSERT_EQ(hits[i], 1u) << "completion " << i;
  const RingStats& s = rt->ring().stats();
  EXPECT_EQ(s.cqes_reaped, total);
  EXPECT_GT(s.overflow_flushes, 0u) << "the CQ never overflowed: the test did not test anything";
  EXPECT_EQ(rt->ring().in_flight(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Rings, CqOverflow, ::testing::ValuesIn(ring_configs()), config_name);

}  // namespace
