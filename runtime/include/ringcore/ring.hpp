// ringcore::Ring: owns one io_uring (liburing's struct io_uring): setup with the chosen flags, SQE
// acquisition, submission and batched CQE reaping. It is the only code that enters the kernel
// (src/ring.cpp), and it counts what it does so benchmarks can report syscalls per operation.
#pragma once

#include <liburing.h>

#include "ringcore/detail/trace.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ringcore {

enum class TaskRun {
  automatic,  // DEFER_TASKRUN (+SINGLE_ISSUER) where the kernel offers it, else COOP_TASKRUN, else none
  defer,      // IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN: completions run only when we wait
  coop,       // IORING_SETUP_COOP_TASKRUN: no IPI to interrupt us for task work
  none,       // the kernel's default
};

struct RingOptions {
  unsigned entries = 256;     // SQ size
  unsigned cq_entries = 0;    // 0: 4 × entries, so bursts of completions rarely overflow
  bool sqpoll = false;        // a kernel thread polls the SQ: submissions without syscalls (needs root/CAP_SYS_NICE)
  unsigned sqpoll_idle_ms = 1000;
  int sqpoll_cpu = -1;        // pin the SQPOLL thread (IORING_SETUP_SQ_AFF) when >= 0
  TaskRun taskrun = TaskRun::automatic;  // ignored with sqpoll (the kernel thread runs the task work)
  // Batched waits (0: off). A wait asks for as many completions as the last turn brought, but
  // returns once this many microseconds have passed with at least one ready (the kernel's
  // min_wait_usec, IORING_FEAT_MIN_TIMEOUT, Linux 6.12): under load one wake-up serves a whole
  // batch instead of the first completion of it. Ignored where the kernel lacks it, and with sqpoll.
  unsigned batch_wait_us = 0;
};

// What the ring did, counted by the ring itself. `enters` counts io_uring_enter calls made through
// liburing (the kernel-counted total is in the harness's syscall counter).
struct RingStats {
  std::uint64_t sqes_submitted = 0;
  std::uint64_t enters = 0;
  std::uint64_t cqes_reaped = 0;
  std::uint64_t sq_full = 0;          // times get_sqe() found the SQ full and had to submit first
  std::uint64_t overflow_flushes = 0; // times the CQ had overflowed and the kernel's backlog was flushed
};

// One completion, copied out of the CQ so the CQ slot can be reused before we act on it.
struct Completion {
  std::uint64_t user_data;
  std::int32_t res;
  std::uint32_t flags;
};

class Ring {
 public:
  // Throws std::system_error with a message naming the flags when the kernel refuses the setup
  // (EPERM for SQPOLL without privileges, EINVAL for flags it does not know).
  explicit Ring(const RingOptions& options = {});
  ~Ring();
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;

  // A free SQE. When the SQ is full it submits what is queued and retries (waiting for the SQPOLL
  // thread if needed); it never returns null and never drops a request. Each SQE taken is one
  // completion owed: in_flight() counts them until their final CQE.
  io_uring_sqe* get_sqe();
  // Makes sure `n` SQEs can be taken without an intermediate submit (linked chains must not be split).
  void reserve(unsigned n);

  // Submits queued SQEs. Returns the number submitted or -errno.
  int submit();
  // Submits queued SQEs and waits until at least `wait_nr` completions are ready.
  int submit_and_wait(unsigned wait_nr);
  // Submits and waits for one completion or the timeout, whichever comes first.
  int submit_and_wait_timeout(unsigned wait_nr, long long timeout_ns);
  // Submits and waits for `wait_nr` completions, or at least one once `min_wait_us` have passed
  // (one io_uring_enter with IORING_ENTER_EXT_ARG). Without IORING_FEAT_MIN_TIMEOUT (or with
  // sqpoll) it is submit_and_wait(1).
  int submit_and_wait_batch(unsigned wait_nr, unsigned min_wait_us);
  // The kernel can bound a batched wait by time (IORING_FEAT_MIN_TIMEOUT).
  bool has_min_timeout() const;

  // Hands up to `max` ready completions to `on_completion(const Completion&)`, one at a time, each
  // copied out and its CQ slot freed BEFORE the callback runs (the callback may resume coroutines
  // that submit more work). Flushes the kernel's overflow backlog when the CQ overflowed, so no
  // completion is ever lost. Returns how many.
  template <class F>
  std::size_t reap(F&& on_completion, std::size_t max = 1024);

  // Requests whose final completion (one without IORING_CQE_F_MORE) has not been reaped yet.
  std::size_t in_flight() const { return in_flight_; }

  // Registered (fixed) files: a sparse table of `count` slots that accept_direct() fills. Requests
  // on a slot carry IOSQE_FIXED_FILE and skip the kernel's per-request file lookup.
  int register_files(unsigned count);
  // Provided-buffer rings (BufferRing): register/unregister a ring of buffers for group `group`.
  int register_buffer_ring(void* ring_addr, unsigned entries, std::uint16_t group);
  int unregister_buffer_ring(std::uint16_t group);

  unsigned sq_space_left() { return io_uring_sq_space_left(&ring_); }
  unsigned setup_flags() const { return ring_.flags; }
  unsigned features() const { return features_; }
  unsigned sq_entries() const { return ring_.sq.ring_entries; }
  unsigned cq_entries() const { return ring_.cq.ring_entries; }
  bool sqpoll() const { return (ring_.flags & IORING_SETUP_SQPOLL) != 0; }
  // io_uring_enter goes through a registered ring fd (io_uring_register_ring_fd), not the ring's fd.
  // The registration is the creating thread's: such a ring is entered and destroyed on that thread
  // only (SINGLE_ISSUER makes the kernel refuse submissions from any other).
  bool registered_fd() const { return registered_fd_; }
  // Human-readable setup, e.g. "entries=256 cq=1024 SINGLE_ISSUER|DEFER_TASKRUN registered-fd".
  std::string describe() const;
  const RingStats& stats() const { return stats_; }
  bool tracing() const { return trace_; }
  io_uring* raw() { return &ring_; }

 private:
  bool cq_needs_flush() const;
  // The overflow backlog or deferred task work may hold completions: have the kernel post them.
  // False when there is nothing to flush.
  bool flush_cq();
  io_uring ring_{};
  unsigned features_ = 0;
  std::size_t in_flight_ = 0;
  RingStats stats_;
  bool trace_ = false;
  bool registered_fd_ = false;
};

template <class F>
std::size_t Ring::reap(F&& on_completion, std::size_t max) {
  std::size_t total = 0;
  do {
    // Walk the CQ in place (liburing's inline io_uring_for_each_cqe: no library call, no enter).
    unsigned head;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      if (total == max) break;
      const Completion c{cqe->user_data, cqe->res, cqe->flags};
      io_uring_cq_advance(&ring_, 1);  // the slot is free again: `c` is our copy
      ++total;
      ++stats_.cqes_reaped;  // exact at every moment: the callback may read the stats
      if (!(c.flags & IORING_CQE_F_MORE)) --in_flight_;
      if (trace_) [[unlikely]] detail::trace_cqe(c);
      on_completion(c);
    }
  } while (total < max && flush_cq());
  return total;
}

}  // namespace ringcore
