// The only file that enters the kernel: io_uring setup, submission and completion reaping.
#include "ringcore/ring.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "ringcore/detail/trace.hpp"

namespace ringcore {
namespace {

std::string flag_names(unsigned flags) {
  std::string s;
  auto add = [&](unsigned f, const char* name) {
    if (flags & f) s += (s.empty() ? "" : "|") + std::string(name);
  };
  add(IORING_SETUP_SQPOLL, "SQPOLL");
  add(IORING_SETUP_SQ_AFF, "SQ_AFF");
  add(IORING_SETUP_CQSIZE, "CQSIZE");
  add(IORING_SETUP_SUBMIT_ALL, "SUBMIT_ALL");
  add(IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN");
  add(IORING_SETUP_TASKRUN_FLAG, "TASKRUN_FLAG");
  add(IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER");
  add(IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN");
  return s.empty() ? "none" : s;
}

}  // namespace

Ring::Ring(const RingOptions& o) {
  trace_ = detail::trace_from_env();
  if (o.entries == 0) throw std::system_error(EINVAL, std::system_category(), "ringcore::Ring: entries must be > 0");

  // Flag sets to try, best first. SUBMIT_ALL keeps one bad SQE from stalling the ones behind it.
  const unsigned base = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
  std::vector<unsigned> candidates;
  if (o.sqpoll) {
    candidates = {base | IORING_SETUP_SQPOLL | (o.sqpoll_cpu >= 0 ? IORING_SETUP_SQ_AFF : 0u)};
  } else {
    const unsigned defer = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    const unsigned coop = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
    switch (o.taskrun) {
      case TaskRun::automatic: candidates = {base | defer, base | coop, base}; break;
      case TaskRun::defer: candidates = {base | defer}; break;
      case TaskRun::coop: candidates = {base | coop}; break;
      case TaskRun::none: candidates = {base}; break;
    }
  }

  int err = 0;
  unsigned tried = 0;
  for (unsigned flags : candidates) {
    io_uring_params p{};
    p.flags = flags;
    p.cq_entries = o.cq_entries ? o.cq_entries : 4 * o.entries;
    if (flags & IORING_SETUP_SQPOLL) {
      p.sq_thread_idle = o.sqpoll_idle_ms;
      if (o.sqpoll_cpu >= 0) p.sq_thread_cpu = unsigned(o.sqpoll_cpu);
    }
    tried = flags;
    err = io_uring_queue_init_params(o.entries, &ring_, &p);
    if (err == 0) {
      features_ = p.features;
      break;
    }
    if (err != -EINVAL) break;  // only "unknown flag" is worth a fallback; EPERM/ENOMEM are the answer
  }
  if (err != 0) {
    std::string msg = "io_uring setup (entries=" + std::to_string(o.entries) + ", flags=" + flag_names(tried) + ")";
    if (err == -EPERM && o.sqpoll) msg += " refused: SQPOLL needs root or CAP_SYS_NICE on this kernel";
    else if (err == -ENOMEM) msg += " failed: locked memory limit too low (ulimit -l) or out of memory";
    else if (err == -ENOSYS) msg += " failed: this kernel has no io_uring (or it is disabled: sysctl kernel.io_uring_disabled)";
    throw std::system_error(-err, std::system_category(), msg);
  }
  if (!(features_ & IORING_FEAT_NODROP)) {
    io_uring_queue_exit(&ring_);
    throw std::system_error(ENOTSUP, std::system_category(),
                            "io_uring without IORING_FEAT_NODROP (kernel < 5.5) could lose completions on CQ overflow");
  }
  // A registered ring fd spares every io_uring_enter the lookup and reference count of the ring's
  // file (Linux 5.18+; without it liburing enters through the plain fd). The registration belongs
  // to the calling thread, so only a SINGLE_ISSUER ring, which no other thread may enter, has one.
  if (ring_.flags & IORING_SETUP_SINGLE_ISSUER) registered_fd_ = io_uring_register_ring_fd(&ring_) == 1;
}

Ring::~Ring() { io_uring_queue_exit(&ring_); }

std::string Ring::describe() const {
  return "entries=" + std::to_string(ring_.sq.ring_entries) + " cq=" + std::to_string(ring_.cq.ring_entries) + " " +
         flag_names(ring_.flags) + (registered_fd_ ? " registered-fd" : "");
}

bool Ring::cq_needs_flush() const {
  return (IO_URING_READ_ONCE(*ring_.sq.kflags) & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) != 0;
}

io_uring_sqe* Ring::get_sqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  while (sqe == nullptr) [[unlikely]] {
    // The SQ is full: hand it to the kernel, then take the freed slot. Spinning here instead of
    // submitting would wait forever, since nobody else empties our SQ.
    ++stats_.sq_full;
    int r = submit();
    if (r < 0 && r != -EBUSY && r != -EAGAIN && r != -EINTR)
      throw std::system_error(-r, std::system_category(), "io_uring_submit with a full SQ");
    sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr && sqpoll()) io_uring_sqring_wait(&ring_);  // the SQPOLL thread frees slots itself
  }
  ++in_flight_;
  return sqe;
}

void Ring::reserve(unsigned n) {
  if (n > ring_.sq.ring_entries)
    throw std::system_error(EINVAL, std::system_category(), "ringcore: a chain longer than the SQ");
  while (io_uring_sq_space_left(&ring_) < n) {
    ++stats_.sq_full;
    submit();
    if (io_uring_sq_space_left(&ring_) < n && sqpoll()) io_uring_sqring_wait(&ring_);
  }
}

int Ring::submit() {
  unsigned pending = io_uring_sq_ready(&ring_);
  // Mirrors liburing's decision to call io_uring_enter, so `enters` is exact without wrapping it.
  bool enters = cq_needs_flush() ||
                (pending > 0 && (!sqpoll() || (IO_URING_READ_ONCE(*ring_.sq.kflags) & IORING_SQ_NEED_WAKEUP)));
  int r = io_uring_submit(&ring_);
  if (enters) ++stats_.enters;
  if (r > 0) stats_.sqes_submitted += unsigned(r);
  if (trace_ && enters) detail::trace_enter(pending, 0, r);
  return r;
}

int Ring::submit_and_wait(unsigned wait_nr) {
  unsigned pending = io_uring_sq_ready(&ring_);
  int r;
  if (wait_nr == 0) {
    r = io_uring_submit_and_get_events(&ring_);  // also runs deferred task work: completions get posted
  } else {
    r = io_uring_submit_and_wait(&ring_, wait_nr);
  }
  ++stats_.enters;
  if (r > 0) stats_.sqes_submitted += unsigned(r);
  if (trace_) detail::trace_enter(pending, wait_nr, r);
  return r;
}

int Ring::submit_and_wait_timeout(unsigned wait_nr, long long timeout_ns) {
  unsigned pending = io_uring_sq_ready(&ring_);
  __kernel_timespec ts{};
  ts.tv_sec = timeout_ns / 1'000'000'000;
  ts.tv_nsec = timeout_ns % 1'000'000'000;
  io_uring_cqe* cqe = nullptr;
  // With IORING_FEAT_EXT_ARG this is a single io_uring_enter that submits and waits.
  int r = io_uring_submit_and_wait_timeout(&ring_, &cqe, wait_nr, &ts, nullptr);
  ++stats_.enters;
  if (r > 0) stats_.sqes_submitted += unsigned(r);
  if (trace_) detail::trace_enter(pending, wait_nr, r);
  return r;
}

// Not in liburing 2.3's headers: the kernel (6.12+) reads io_uring_getevents_arg's `pad` as
// min_wait_usec when it sets this feature.
constexpr unsigned kFeatMinTimeout = 1U << 15;

bool Ring::has_min_timeout() const { return (features_ & kFeatMinTimeout) && !sqpoll(); }

int Ring::submit_and_wait_batch(unsigned wait_nr, unsigned min_wait_us) {
  if (!has_min_timeout() || wait_nr <= 1) return submit_and_wait(1);
  // liburing 2.3 cannot pass min_wait_usec: publish the queued SQEs as its __io_uring_flush_sq
  // does, then enter once to submit them and wait.
  io_uring_sq& sq = ring_.sq;
  const unsigned pending = sq.sqe_tail - sq.sqe_head;
  if (pending) {
    sq.sqe_head = sq.sqe_tail;
    io_uring_smp_store_release(sq.ktail, sq.sqe_tail);
  }
  // A general timeout well beyond min_wait: after min_wait with nothing ready the kernel goes back
  // to waiting for a single completion (it needs a timeout to do so, else it returns -ETIME).
  __kernel_timespec ts{.tv_sec = 1, .tv_nsec = 0};
  io_uring_getevents_arg arg{};
  arg.sigmask_sz = _NSIG / 8;
  arg.pad = min_wait_us;
  arg.ts = reinterpret_cast<std::uint64_t>(&ts);
  const unsigned flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | (registered_fd_ ? IORING_ENTER_REGISTERED_RING : 0u);
  int r = int(::syscall(__NR_io_uring_enter, ring_.enter_ring_fd, pending, wait_nr, flags, &arg, sizeof arg));
  if (r < 0) r = -errno;
  ++stats_.enters;
  if (r > 0) stats_.sqes_submitted += unsigned(r);
  if (trace_) detail::trace_enter(pending, wait_nr, r);
  return r;
}

bool Ring::flush_cq() {
  // Empty CQ, but the kernel may hold completions that did not fit (overflow) or task work that
  // would post some: flush them rather than leave them behind.
  if (!cq_needs_flush()) return false;
  if (IO_URING_READ_ONCE(*ring_.sq.kflags) & IORING_SQ_CQ_OVERFLOW) ++stats_.overflow_flushes;
  ++stats_.enters;
  io_uring_get_events(&ring_);
  return io_uring_cq_ready(&ring_) > 0;
}

int Ring::register_files(unsigned count) { return io_uring_register_files_sparse(&ring_, count); }

int Ring::register_buffer_ring(void* ring_addr, unsigned entries, std::uint16_t group) {
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<std::uint64_t>(ring_addr);
  reg.ring_entries = entries;
  reg.bgid = group;
  return io_uring_register_buf_ring(&ring_, &reg, 0);
}

int Ring::unregister_buffer_ring(std::uint16_t group) { return io_uring_unregister_buf_ring(&ring_, group); }

}  // namespace ringcore
