// Every request's latency, kept until the end of the run, then summarised as percentiles.
// Storage comes in fixed chunks allocated and touched before the run (sized from the expected
// number of requests, up to 16M samples), so recording is a store and an increment; only a run
// that outgrows that allocates, once per million requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace loadgen {

struct LatencySummary {
  std::int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};

class LatencyLog {
 public:
  static constexpr std::size_t kChunk = std::size_t(1) << 20;  // samples per chunk (8 MiB)

  // Pre-allocates and pre-faults room for `expected` samples (capped: the rest grows by chunks).
  explicit LatencyLog(std::uint64_t expected);

  void record(std::int64_t ns) {
    if (used_ == kChunk) next_chunk();
    current_[used_++] = ns;
  }
  std::uint64_t count() const { return std::uint64_t(filled_chunks_) * kChunk + used_; }

  // Nearest-rank percentiles (p50 is the smallest sample >= half of them); zeros when empty.
  LatencySummary summarize() const;

 private:
  void next_chunk();

  std::vector<std::unique_ptr<std::int64_t[]>> chunks_;
  std::size_t filled_chunks_ = 0;  // chunks before current_
  std::int64_t* current_ = nullptr;
  std::size_t used_ = 0;
};

}  // namespace loadgen
