// Latencies at HdrHistogram quality without keeping every sample: log-linear buckets (each power of
// two split into 1024 equal steps) give 3 significant digits over 1 µs … 60 s in 27,000 counters.
// Counts only, so histograms of several connections or runs merge by adding (add()); record() is
// an index computation and two increments, never an allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace loadgen {

struct LatencySummary {
  std::int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, p9999_ns = 0, max_ns = 0;
};

class LatencyHistogram {
 public:
  static constexpr std::int64_t kLowestNs = 1'000;            // 1 µs
  static constexpr std::int64_t kHighestNs = 60'000'000'000;  // 60 s
  // 2^10 steps per power of two: a bucket is at most 1/1024 (< 0.1%) of the values it holds wide.
  static constexpr int kSubBucketBits = 10;

  LatencyHistogram();

  // Values outside [kLowestNs, kHighestNs] are recorded at the nearest bound and counted in clamped().
  void record(std::int64_t ns) {
    if (ns < kLowestNs || ns > kHighestNs) {
      ns = ns < kLowestNs ? kLowestNs : kHighestNs;
      ++clamped_;
    }
    ++counts_[index_of(ns)];
    ++count_;
    if (ns > max_) max_ = ns;
  }
  // Adds every count of `other`, as if its values had been recorded here.
  void add(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t clamped() const { return clamped_; }
  std::int64_t max() const { return max_; }  // exact (after clamping); 0 when empty

  // Nearest rank: the smallest recorded value that `percent`% of the values are at or below, as the
  // highest value of its bucket (never above max()). 0 when empty.
  std::int64_t value_at_percentile(double percent) const;
  LatencySummary summarize() const;

  // The bucket of a value in range, and the lowest and highest value that bucket holds.
  static std::size_t index_of(std::int64_t ns) {
    auto v = std::uint64_t(ns);
    int shift = bit_width(v) - (kSubBucketBits + 1);
    if (shift < 0) shift = 0;
    return (std::size_t(shift) << kSubBucketBits) + std::size_t(v >> shift);
  }
  static std::int64_t lowest_equivalent(std::size_t index);
  static std::int64_t highest_equivalent(std::size_t index);
  static std::size_t bucket_count() { return index_of(kHighestNs) + 1; }

 private:
  static int bit_width(std::uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t clamped_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace loadgen
