// Proves that more requests than the SQ holds (8× its depth) all complete: a full SQ is submitted
// and retried, never spun on, never dropped.
#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

namespace {

RingOptions tiny(RingOptions o) {
  o.entries = 4;
  return o;
}

class SqFull : public ::testing::TestWithParam<RingConfig> {};

TEST_P(SqFull, EightTimesTheDepthOfNopsAllComplete) {
  std::optional<Runtime> rt;
  try {
    rt.emplace(tiny(GetParam().options));
  } catch (const std::system_error& e) {
    GTEST_SKIP() << GetParam().name << " refused: " << e.what();
  }
  const unsigned depth = rt->ring().sq_entries();
  const unsigned total = 8 * depth;
  unsigned completed = 0;
  auto one = [&]() -> task<void> {
    auto r = co_await nop();
    EXPECT_TRUE(r.has_value());
    ++completed;
  };
  rt->run([&]() -> task<void> {
    for (unsigned i = 0; i < total; ++i) spawn(one());
    while (completed < total) co_await ringcore::yield();
  }());
  EXPECT_EQ(completed, total);
  EXPECT_GT(rt->ring().stats().sq_full, 0u) << "the SQ never filled: the test did not test anything";
  EXPECT_EQ(rt->ring().in_flight(), 0u);
}

TEST_P(SqFull, EightTimesTheDepthOfFileReadsReturnTheirOwnBytes) {
  std::optional<Runtime> rt;
  try {
    rt.emplace(tiny(GetParam().options));
  } catch (const std::system_error& e) {
    GTEST_SKIP() << GetParam().name << " refused: " << e.what();
  }
  const unsigned total = 8 * rt->ring().sq_entries();
  std::string data = pattern(total * 512, 3);
  TempFile f(data);
  int fd = ::open(f.path().c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  std::vector<std::string> got(total, std::string(512, '\0'));
  unsigned completed = 0;
  auto one = [&](unsigned i) -> task<void> {
    auto n = co_await ringcore::read(fd, got[i].data(), 512, std::uint64_t(i) * 512);
    EXPECT_EQ(n.value_or(0), 512u);
    ++completed;
  };
  rt->run([&]() -> task<void> {
    for (unsigned i = 0; i < total; ++i) spawn(one(i));
    while (completed < total) co_await ringcore::yield();
  }());
  ::close(fd);
  ASSERT_EQ(completed, total);
  for (unsigned i = 0; i < total; ++i) EXPECT_EQ(got[i], data.substr(i * 512, 512)) << "read " << i;
}

INSTANTIATE_TEST_SUITE_P(Rings, SqFull, ::testing::ValuesIn(ring_configs()), config_name);

}  // namespace
