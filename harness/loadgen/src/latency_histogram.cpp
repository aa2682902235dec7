#include "latency_histogram.hpp"

#include <cmath>

namespace loadgen {

LatencyHistogram::LatencyHistogram() : counts_(bucket_count(), 0) {}

void LatencyHistogram::add(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  clamped_ += other.clamped_;
  if (other.max_ > max_) max_ = other.max_;
}

// Index i holds the values whose top kSubBucketBits + 1 bits, shifted by i / 1024 - 1, equal i's low
// bits: the first 2048 indexes are exact values, then 1024 per power of two.
std::int64_t LatencyHistogram::lowest_equivalent(std::size_t index) {
  const std::size_t half = std::size_t(1) << kSubBucketBits;
  std::size_t shift = index < 2 * half ? 0 : (index >> kSubBucketBits) - 1;
  return std::int64_t((index - (shift << kSubBucketBits)) << shift);
}

std::int64_t LatencyHistogram::highest_equivalent(std::size_t index) {
  return lowest_equivalent(index + 1) - 1;
}

std::int64_t LatencyHistogram::value_at_percentile(double percent) const {
  if (count_ == 0) return 0;
  // The epsilon keeps 99.99% of 10,000 at rank 9,999 despite binary fractions.
  double exact = percent / 100.0 * double(count_);
  auto rank = std::uint64_t(std::ceil(exact - 1e-9));
  if (rank < 1) rank = 1;
  if (rank > count_) rank = count_;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      std::int64_t v = highest_equivalent(i);
      return v < max_ ? v : max_;
    }
  }
  return max_;
}

LatencySummary LatencyHistogram::summarize() const {
  LatencySummary s;
  s.p50_ns = value_at_percentile(50);
  s.p90_ns = value_at_percentile(90);
  s.p99_ns = value_at_percentile(99);
  s.p999_ns = value_at_percentile(99.9);
  s.p9999_ns = value_at_percentile(99.99);
  s.max_ns = max_;
  return s;
}

}  // namespace loadgen
