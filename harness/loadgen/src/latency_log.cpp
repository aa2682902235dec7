#include "latency_log.hpp"

#include <algorithm>
#include <cstring>

namespace loadgen {
namespace {

// Pre-faulting more than this (128 MiB) up front is not worth the memory; beyond it, chunks come on demand.
constexpr std::size_t kMaxPreparedChunks = 16;

std::unique_ptr<std::int64_t[]> new_chunk(bool touch) {
  std::unique_ptr<std::int64_t[]> chunk(new std::int64_t[LatencyLog::kChunk]);
  // Prepared chunks are faulted in now, not mid-run. A chunk added mid-run is not: touching 8 MiB at
  // once would stall every connection; left alone, its pages fault in one per 512 samples.
  if (touch) std::memset(chunk.get(), 0, LatencyLog::kChunk * sizeof(std::int64_t));
  return chunk;
}

}  // namespace

LatencyLog::LatencyLog(std::uint64_t expected) {
  std::size_t chunks = std::size_t(std::min<std::uint64_t>((expected + kChunk - 1) / kChunk, kMaxPreparedChunks));
  if (chunks == 0) chunks = 1;
  chunks_.reserve(chunks + 256);  // the vector itself need not grow mid-run either
  for (std::size_t i = 0; i < chunks; ++i) chunks_.push_back(new_chunk(true));
  current_ = chunks_[0].get();
}

void LatencyLog::next_chunk() {
  ++filled_chunks_;
  if (filled_chunks_ == chunks_.size()) chunks_.push_back(new_chunk(false));
  current_ = chunks_[filled_chunks_].get();
  used_ = 0;
}

LatencySummary LatencyLog::summarize() const {
  std::vector<std::int64_t> all;
  all.reserve(count());
  for (std::size_t i = 0; i < filled_chunks_; ++i) all.insert(all.end(), chunks_[i].get(), chunks_[i].get() + kChunk);
  all.insert(all.end(), current_, current_ + used_);
  LatencySummary s;
  if (all.empty()) return s;
  // Ascending ranks, each nth_element working on what lies above the previous one.
  auto rank = [&](std::size_t permille) { return std::max<std::size_t>(1, (all.size() * permille + 999) / 1000) - 1; };
  std::size_t lo = 0;
  std::int64_t* out[] = {&s.p50_ns, &s.p90_ns, &s.p99_ns, &s.p999_ns};
  const std::size_t permilles[] = {500, 900, 990, 999};
  for (int i = 0; i < 4; ++i) {
    std::size_t k = rank(permilles[i]);
    std::nth_element(all.begin() + lo, all.begin() + k, all.end());
    *out[i] = all[k];
    lo = k;
  }
  s.max_ns = *std::max_element(all.begin() + lo, all.end());
  return s;
}

}  // namespace loadgen
