// Where coroutine frames come from. Every task's frame is heap memory (g++ does not elide it), and a
// server makes tasks on its hot path: one per connection, and one per request wherever a helper
// coroutine is awaited per request. Instead of malloc/free each time, a finished frame goes on a
// per-thread free list for its size, and the next frame of that size takes it back: after warm-up,
// awaiting a task allocates nothing.
//
// Size classes are multiples of 64 bytes up to 4 KiB; bigger frames go straight to operator new. A
// thread keeps at most kMaxCachedBytes of free frames (the rest go back to the heap), and returns
// all of them when it exits. Under AddressSanitizer a cached frame is poisoned, so a use after the
// task was destroyed is still reported.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringcore::detail {

struct FramePoolStats {
  std::uint64_t reused = 0;     // frames taken from a free list
  std::uint64_t allocated = 0;  // frames that came from operator new (a list was empty, or too big)
  std::size_t cached_bytes = 0; // free frames held by this thread now
};

inline constexpr std::size_t kFrameGranule = 64;
inline constexpr std::size_t kFrameClasses = 64;  // 64 B .. 4 KiB
inline constexpr std::size_t kMaxCachedBytes = std::size_t(4) << 20;

// The calling thread's pool.
void* allocate_frame(std::size_t size);
void release_frame(void* frame, std::size_t size) noexcept;
FramePoolStats frame_pool_stats() noexcept;

}  // namespace ringcore::detail
