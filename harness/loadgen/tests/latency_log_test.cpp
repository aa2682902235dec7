// Proves the percentiles are nearest-rank over every recorded sample, across chunk boundaries.
#include "latency_log.hpp"

#include <gtest/gtest.h>

namespace loadgen {
namespace {

TEST(LatencyLog, NearestRankPercentiles) {
  LatencyLog log(1000);
  for (int i = 1000; i >= 1; --i) log.record(i);
  LatencySummary s = log.summarize();
  EXPECT_EQ(s.p50_ns, 500);
  EXPECT_EQ(s.p90_ns, 900);
  EXPECT_EQ(s.p99_ns, 990);
  EXPECT_EQ(s.p999_ns, 999);
  EXPECT_EQ(s.max_ns, 1000);
}

TEST(LatencyLog, GrowsPastItsEstimate) {
  LatencyLog log(1);
  const std::uint64_t n = LatencyLog::kChunk * 2 + 5;
  for (std::uint64_t i = 0; i < n; ++i) log.record(std::int64_t(i));
  EXPECT_EQ(log.count(), n);
  LatencySummary s = log.summarize();
  EXPECT_EQ(s.max_ns, std::int64_t(n - 1));
  EXPECT_EQ(s.p50_ns, std::int64_t((n + 1) / 2 - 1));
}

TEST(LatencyLog, EmptyIsZero) {
  LatencyLog log(0);
  LatencySummary s = log.summarize();
  EXPECT_EQ(s.p50_ns, 0);
  EXPECT_EQ(s.max_ns, 0);
}

TEST(LatencyLog, SingleSample) {
  LatencyLog log(1);
  log.record(42);
  LatencySummary s = log.summarize();
  EXPECT_EQ(s.p50_ns, 42);
  EXPECT_EQ(s.p999_ns, 42);
  EXPECT_EQ(s.max_ns, 42);
}

}  // namespace
}  // namespace loadgen
