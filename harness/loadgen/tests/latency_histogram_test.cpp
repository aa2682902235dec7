// Proves the histogram's buckets are exact where promised and 3-significant-digit everywhere in
// 1 µs … 60 s, its percentiles are nearest-rank, merging equals recording in one, and clamping counts.
#include "latency_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace loadgen {
namespace {

using H = LatencyHistogram;

TEST(LatencyHistogram, BucketBoundariesAreExact) {
  // Below 2048 ns every value has its own bucket.
  EXPECT_EQ(H::index_of(1000), 1000u);
  EXPECT_EQ(H::index_of(2047), 2047u);
  EXPECT_EQ(H::lowest_equivalent(2047), 2047);
  EXPECT_EQ(H::highest_equivalent(2047), 2047);
  // 2048 … 4095: steps of 2.
  EXPECT_EQ(H::index_of(2048), 2048u);
  EXPECT_EQ(H::index_of(2049), 2048u);
  EXPECT_EQ(H::index_of(2050), 2049u);
  EXPECT_EQ(H::lowest_equivalent(2048), 2048);
  EXPECT_EQ(H::highest_equivalent(2048), 2049);
  EXPECT_EQ(H::index_of(4095), 3071u);
  EXPECT_EQ(H::highest_equivalent(3071), 4095);
  // 4096 … 8191: steps of 4.
  EXPECT_EQ(H::index_of(4096), 3072u);
  EXPECT_EQ(H::lowest_equivalent(3072), 4096);
  EXPECT_EQ(H::highest_equivalent(3072), 4099);
  EXPECT_EQ(H::index_of(4100), 3073u);
  // 1 s = 2^29.897...: bucket width 2^19 within [2^29, 2^30).
  std::size_t one_second = H::index_of(1'000'000'000);
  EXPECT_EQ(H::highest_equivalent(one_second) - H::lowest_equivalent(one_second) + 1, std::int64_t(1) << 19);
  // Consecutive buckets tile the range without gaps or overlaps.
  for (std::size_t i = 1000; i + 1 < H::bucket_count(); ++i)
    ASSERT_EQ(H::highest_equivalent(i) + 1, H::lowest_equivalent(i + 1)) << i;
  EXPECT_EQ(H::bucket_count(), H::index_of(H::kHighestNs) + 1);
}

TEST(LatencyHistogram, RelativeErrorAtMostOneInAThousand) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(std::log(1e3), std::log(6e10));
  for (int i = 0; i < 200'000; ++i) {
    auto v = std::int64_t(std::exp(exponent(rng)));
    if (v < H::kLowestNs || v > H::kHighestNs) continue;
    std::size_t b = H::index_of(v);
    std::int64_t lo = H::lowest_equivalent(b), hi = H::highest_equivalent(b);
    ASSERT_LE(lo, v);
    ASSERT_GE(hi, v);
    ASSERT_LE(double(hi - lo) / double(v), 0.001) << v;
  }
  // And through a percentile: a value below a bigger one comes back within 0.1%.
  for (std::int64_t v : {1'000LL, 1'234LL, 9'999LL, 123'457LL, 7'654'321LL, 999'999'999LL, 59'999'999'999LL}) {
    H h;
    h.record(v);
    h.record(H::kHighestNs);
    std::int64_t got = h.value_at_percentile(50);
    EXPECT_GE(got, v);
    EXPECT_LE(double(got - v) / double(v), 0.001) << v;
  }
}

TEST(LatencyHistogram, PercentilesOfAUniformDistribution) {
  // 10,000 values 1 µs, 2 µs, ..., 10 ms: the k-th percentile is k% of 10 ms, to 0.1%.
  H h;
  for (std::int64_t i = 1; i <= 10'000; ++i) h.record(i * 1'000);
  EXPECT_EQ(h.count(), 10'000u);
  auto near = [](std::int64_t got, std::int64_t want) {
    EXPECT_GE(got, want);
    EXPECT_LE(double(got - want) / double(want), 0.001) << got << " vs " << want;
  };
  near(h.value_at_percentile(50), 5'000'000);
  near(h.value_at_percentile(90), 9'000'000);
  near(h.value_at_percentile(99), 9'900'000);
  near(h.value_at_percentile(99.9), 9'990'000);
  near(h.value_at_percentile(99.99), 9'999'000);
  EXPECT_EQ(h.value_at_percentile(100), 10'000'000);
  EXPECT_EQ(h.max(), 10'000'000);
  EXPECT_EQ(h.value_at_percentile(0), 1'000);  // rank 1: the smallest
  EXPECT_EQ(h.clamped(), 0u);
}

TEST(LatencyHistogram, PercentilesOfATwoPointDistribution) {
  // 990 fast replies and 10 stalled ones: p99 is still fast, p99.9 is the stall.
  H h;
  for (int i = 0; i < 990; ++i) h.record(50'000);
  for (int i = 0; i < 10; ++i) h.record(200'000'000);
  LatencySummary s = h.summarize();
  EXPECT_EQ(s.p50_ns, H::highest_equivalent(H::index_of(50'000)));
  EXPECT_EQ(s.p99_ns, s.p50_ns);
  EXPECT_EQ(s.p999_ns, 200'000'000);
  EXPECT_EQ(s.p9999_ns, 200'000'000);
  EXPECT_EQ(s.max_ns, 200'000'000);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(11.0, 1.5);  // around 60 µs, long tail
  H all, parts[3];
  for (int i = 0; i < 30'000; ++i) {
    auto v = std::int64_t(dist(rng));
    all.record(v);
    parts[i % 3].record(v);
  }
  H merged;
  for (const H& p : parts) merged.add(p);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_EQ(merged.clamped(), all.clamped());
  for (double p : {0.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0})
    EXPECT_EQ(merged.value_at_percentile(p), all.value_at_percentile(p)) << p;
}

TEST(LatencyHistogram, ValuesOutsideTheRangeAreClampedAndCounted) {
  H h;
  h.record(0);
  h.record(999);
  h.record(1'000);
  h.record(H::kHighestNs + 1);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.clamped(), 3u);
  EXPECT_EQ(h.value_at_percentile(50), 1'000);
  EXPECT_EQ(h.value_at_percentile(75), 1'000);
  EXPECT_EQ(h.max(), H::kHighestNs);
  EXPECT_EQ(h.value_at_percentile(100), H::kHighestNs);
}

TEST(LatencyHistogram, EmptyIsZero) {
  H h;
  LatencySummary s = h.summarize();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(s.p50_ns, 0);
  EXPECT_EQ(s.p9999_ns, 0);
  EXPECT_EQ(s.max_ns, 0);
}

}  // namespace
}  // namespace loadgen
