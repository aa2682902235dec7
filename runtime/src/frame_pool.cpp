#include "ringcore/detail/frame_pool.hpp"

#include <new>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define RINGCORE_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define RINGCORE_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define RINGCORE_POISON(p, n) ((void)(p), (void)(n))
#define RINGCORE_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace ringcore::detail {
namespace {

struct FreeFrame {
  FreeFrame* next;
};

// Trivially destructible, so it stays usable while the thread exits (a frame may be freed by
// another thread_local's destructor after the drain below ran: it then goes to the heap).
struct Pool {
  FreeFrame* free[kFrameClasses];
  FramePoolStats stats;
  bool drain_registered;
  bool closed;
};

thread_local Pool t_pool{};

// Returns the thread's free frames to the heap when it exits.
struct Drain {
  bool armed = false;
  ~Drain() {
    Pool& p = t_pool;
    p.closed = true;
    for (std::size_t c = 0; c < kFrameClasses; ++c) {
      while (FreeFrame* f = p.free[c]) {
        RINGCORE_UNPOISON(f, (c + 1) * kFrameGranule);
        p.free[c] = f->next;
        ::operator delete(f, (c + 1) * kFrameGranule);
      }
    }
    p.stats.cached_bytes = 0;
  }
};

thread_local Drain t_drain;

// Class c holds frames of (c + 1) * 64 bytes; kFrameClasses when the frame is too big to cache.
std::size_t class_of(std::size_t size) noexcept {
  return size == 0 ? 0 : (size - 1) / kFrameGranule < kFrameClasses ? (size - 1) / kFrameGranule : kFrameClasses;
}

}  // namespace

void* allocate_frame(std::size_t size) {
  Pool& p = t_pool;
  const std::size_t c = class_of(size);
  if (c == kFrameClasses) {
    ++p.stats.allocated;
    return ::operator new(size);
  }
  const std::size_t bytes = (c + 1) * kFrameGranule;
  if (FreeFrame* f = p.free[c]) {
    RINGCORE_UNPOISON(f, bytes);
    p.free[c] = f->next;
    p.stats.cached_bytes -= bytes;
    ++p.stats.reused;
    return f;
  }
  ++p.stats.allocated;
  return ::operator new(bytes);  // the class's size, so that any frame of the class fits later
}

void release_frame(void* frame, std::size_t size) noexcept {
  if (!frame) return;
  Pool& p = t_pool;
  const std::size_t c = class_of(size);
  if (c == kFrameClasses) {
    ::operator delete(frame, size);
    return;
  }
  const std::size_t bytes = (c + 1) * kFrameGranule;
  if (p.closed || p.stats.cached_bytes + bytes > kMaxCachedBytes) {
    ::operator delete(frame, bytes);
    return;
  }
  if (!p.drain_registered) {
    p.drain_registered = true;
    t_drain.armed = true;  // first use on this thread: constructs it, so its destructor runs at thread exit
  }
  auto* f = static_cast<FreeFrame*>(frame);
  f->next = p.free[c];
  p.free[c] = f;
  p.stats.cached_bytes += bytes;
  RINGCORE_POISON(f, bytes);
}

FramePoolStats frame_pool_stats() noexcept { return t_pool.stats; }

}  // namespace ringcore::detail
